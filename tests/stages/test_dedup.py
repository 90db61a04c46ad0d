"""The dedup stage's storage: signatures kept with their scheme, re-signed once when it changes
(accord.stages.dedup)."""

from __future__ import annotations

from dataclasses import replace

from accord.dedup import HashScheme
from tests.test_dedup import long_reports


def test_a_database_signed_under_another_hash_is_signed_again_once(tmp_path, caplog):
    """Signatures of the sha1 scheme (an older accord's) do not compare with words64 ones: dedup re-signs them all,
    and the copy groups are those of signing afresh."""
    from accord import stages
    from accord.config import settings_from_dict
    from accord.models import Article
    from accord.store import Store

    rows = long_reports(30)
    articles = [Article(id=r["id"], outlet="o", title=r["title"], text=r["text"]) for r in rows]
    articles.append(replace(articles[0], id="rerun", text=articles[0].text + "\nShare this."))
    settings = settings_from_dict({"database": str(tmp_path / "a.duckdb")}, tmp_path)
    configured = HashScheme(settings.dedup.num_perm, settings.dedup.seed, settings.dedup.shingle)
    assert configured.hash == "words64"
    with Store(settings.database) as store:
        stages.collect.store_articles(store, articles, None)
        # as an older accord left it: every article signed and grouped alone, under sha1
        store.con.execute("UPDATE articles SET signature = [1, 2]::UBIGINT[], copy_group = id")
        store.set_meta("hash_scheme", replace(configured, hash="sha1").to_json())
        with caplog.at_level("WARNING"):
            counts = stages.dedup.dedup(store, settings.dedup)
        assert "re-signing all articles" in caplog.text
        assert counts["signed"] == len(articles)
        assert HashScheme.from_json(store.get_meta("hash_scheme")) == configured
        groups = dict(store.con.execute("SELECT id, copy_group FROM articles").fetchall())
        assert groups["rerun"] == articles[0].id
        assert len(set(groups.values())) == len(articles) - 1
        assert stages.dedup.dedup(store, settings.dedup)["signed"] == 0


# Invented page furniture of the kind a site template prints where the report failed to load
FURNITURE = (
    "Just One More Thing...\n\nWe have sent you a verification email. Please check your email and click on the link "
    "to activate your profile.\n\nIf you do not receive the verification message within a few minutes of signing up, "
    "please check your Spam or Junk folder.\n\nClose"
)


def test_pages_of_furniture_only_are_no_copies_and_their_lines_are_learned_once(tmp_path):
    """Pages whose text is only a template's furniture, months apart, with their own headlines: not copies of each
    other; the furniture lines are kept (outlet "*") and the story index reads reports without them. True copies still
    group."""
    from datetime import datetime, timedelta

    from accord import stages
    from accord.config import settings_from_dict
    from accord.identity import normal_line
    from accord.models import Article
    from accord.store import Store

    rows = long_reports(3)
    start = datetime(2015, 1, 5)
    titles = [
        "Man shot outside bar on Fifth Street",
        "Teen wounded in drive-by on Oak Avenue",
        "Police identify woman killed in crash after chase",
        "Two hurt as gunfire erupts at house party",
    ]
    articles = [
        Article(id=f"f{i}", outlet=f"site{i % 2}", title=t, text=FURNITURE, published=start + timedelta(days=40 * i))
        for i, t in enumerate(titles)
    ]
    articles += [
        Article(id=r["id"], outlet="wire", title=r["title"], text=r["text"], published=start + timedelta(days=3 * k))
        for k, r in enumerate(rows)
    ]
    articles.append(replace(articles[-1], id="copy", outlet="other", published=articles[-1].published))
    settings = settings_from_dict({"database": str(tmp_path / "a.duckdb")}, tmp_path)
    with Store(settings.database) as store:
        stages.collect.store_articles(store, articles, None)
        stages.dedup.dedup(store, settings.dedup)
        groups = dict(store.con.execute("SELECT id, copy_group FROM articles").fetchall())
        assert len({groups[f"f{i}"] for i in range(4)}) == 4
        assert groups["copy"] == articles[-2].id
        learned = stages.dedup.stored_furniture(store)
        assert {normal_line(x) for x in FURNITURE.split("\n\n") if len(x) > 12} == learned
        # a later run learns nothing twice
        stages.collect.store_articles(store, [replace(articles[0], id="f9", title="Another headline entirely")], None)
        stages.dedup.dedup(store, settings.dedup)
        assert store.scalar("SELECT count(*) FROM outlet_boilerplate WHERE outlet = '*'") == len(learned)


def test_furniture_is_a_template_line_repeated_across_months_not_a_wire_story():
    from datetime import datetime, timedelta

    from accord.identity import furniture_lines, normal_line, without_lines

    day = datetime(2016, 3, 1)
    wire = "A gunman killed five people at a shopping mall in Springfield on Saturday, police said."
    template = "Close Get email notifications on {} daily!"
    pages = [
        (f"{template.format(name)}\n\n{wire}", day + timedelta(days=d))
        for name, d in (("Jane Roe", 0), ("John Doe", 1), ("Ann Poe", 2), ("Jim Moe", 90))
    ]
    # the wire sentence is in four pages, but within days of each other but one: still one incident's, kept
    pages[-1] = (template.format("Jim Moe"), pages[-1][1])
    lines = furniture_lines(lambda: iter(pages))
    assert lines == {normal_line(template.format("Anyone"))}
    assert without_lines(pages[0][0], lines).strip() == wire
    # undated pages say nothing of months
    assert furniture_lines(lambda: iter([(p, None) for p, _ in pages])) == frozenset()


def test_furniture_is_learned_across_runs_from_the_counts_kept(tmp_path):
    """Scheduled runs bring a few pages each: the line counts are kept, and a template's lines are learned once three
    pages, months apart, carried them, whichever runs brought them."""
    from datetime import datetime, timedelta

    from accord import stages
    from accord.config import settings_from_dict
    from accord.models import Article
    from accord.store import Store

    start = datetime(2015, 1, 5)
    titles = [
        "Man shot outside bar on Fifth Street",
        "Teen wounded in drive-by on Oak Avenue",
        "Police identify woman killed in crash after chase",
    ]
    pages = [
        Article(id=f"f{i}", outlet="site", title=t, text=FURNITURE, published=start + timedelta(days=20 * i))
        for i, t in enumerate(titles)
    ]
    settings = settings_from_dict({"database": str(tmp_path / "a.duckdb")}, tmp_path)
    with Store(settings.database) as store:
        for page in pages[:2]:  # one page a run
            stages.collect.store_articles(store, [page], None)
            stages.dedup.dedup(store, settings.dedup)
        assert stages.dedup.stored_furniture(store) == frozenset()
        assert store.scalar("SELECT max(reports) FROM line_counts") == 2
        stages.collect.store_articles(store, [pages[2]], None)
        stages.dedup.dedup(store, settings.dedup)
        assert "just one more thing..." in stages.dedup.stored_furniture(store)
        assert store.scalar("SELECT max(reports) FROM line_counts") == 3
