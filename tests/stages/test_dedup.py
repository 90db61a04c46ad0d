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
