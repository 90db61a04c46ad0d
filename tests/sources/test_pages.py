"""Extraction: golden fundus pages (title, date, body F1 against bare trafilatura), boilerplate, charsets."""

from __future__ import annotations

import statistics
from collections import Counter

import pytest
import trafilatura

from accord.sources import (
    ExtractionError,
    PageContent,
    decode_html,
    detect_language,
    extract_page,
    learn_boilerplate,
    remove_boilerplate,
)
from accord.sources.pages import clean_title, is_generic_boilerplate

from .fundus import load_pages, same_title, token_f1

# Floors measured on the 258 fundus pages (analysis/extraction_f1.py prints the figures): a change that lowers
# extraction quality fails here. Measured: F1 0.951 (bare trafilatura.extract 0.943), titles 0.818, dates 0.965.
MIN_BODY_F1 = 0.948
MIN_TITLE_EXACT = 0.80
MIN_DATE_EXACT = 0.95


@pytest.fixture(scope="module")
def golden():
    rows = []
    for page in load_pages():
        html = page.html()
        try:
            content = extract_page(html, page.url)
        except ExtractionError:
            content = PageContent("", "", None, None, None)
        bare = trafilatura.extract(html) or ""
        rows.append((page, content, token_f1(content.text, page.body), token_f1(bare, page.body)))
    return rows


@pytest.mark.slow
def test_every_fixture_page_is_found_and_all_but_one_give_text(golden):
    assert len(golden) == 258
    # HankookIlbo 2026 is a Next.js page whose text is only in a script payload; bare trafilatura fails too.
    assert [r[0].publisher for r in golden if not r[1].text] == ["HankookIlbo"]


@pytest.mark.slow
def test_body_f1_at_least_bare_trafilatura(golden):
    ours = statistics.mean(r[2] for r in golden)
    bare = statistics.mean(r[3] for r in golden)
    assert ours >= bare, (ours, bare)
    assert ours >= MIN_BODY_F1


@pytest.mark.slow
def test_titles_and_dates(golden):
    titles = sum(same_title(r[1].title, r[0].title) for r in golden) / len(golden)
    with_date = [r for r in golden if r[0].published]
    dates = sum(bool(r[1].published) and str(r[1].published.date()) == r[0].published[:10] for r in with_date)
    assert titles >= MIN_TITLE_EXACT
    assert dates / len(with_date) >= MIN_DATE_EXACT


@pytest.mark.slow
def test_languages_follow_the_country(golden):
    german = Counter(r[1].language for r in golden if r[0].country in ("de", "at"))
    english = Counter(r[1].language for r in golden if r[0].country in ("us", "uk"))
    assert german.most_common(1)[0][0] == "de" and german["de"] / sum(german.values()) > 0.9
    assert english["en"] / sum(english.values()) > 0.9


def test_reuters_page():
    page = next(p for p in load_pages() if p.html_path.name == "Reuters_2024_03_07.html.gz")
    content = extract_page(page.html(), page.url)
    assert content.title == page.title
    assert content.published is not None and content.published.date().isoformat() == "2024-03-07"
    assert "Maya Gebeily" in (content.author or "")
    assert token_f1(content.text, page.body) > 0.9


OUTLET_PAGES = [
    f"Paragraph {i} of report {n} tells what happened in town {n}.\nREAD MORE: Another story {n}\n"
    f"Loading...\nThe Daily Example is funded by its readers.\nShare this article\nMore words {n} {i}."
    for n in range(5)
    for i in range(1)
]


def test_learned_boilerplate_comes_from_the_outlets_own_pages():
    learned = learn_boilerplate(OUTLET_PAGES)
    assert "the daily example is funded by its readers." in learned
    assert not any("town" in line for line in learned)
    cleaned = remove_boilerplate(OUTLET_PAGES[0], learned)
    assert cleaned == "Paragraph 0 of report 0 tells what happened in town 0.\nMore words 0 0."


def test_too_few_pages_learn_nothing_and_copies_are_kept():
    assert learn_boilerplate(OUTLET_PAGES[:2]) == frozenset()
    copies = ["Same story line one.\nSame story line two.\nShort tail."] * 4
    learned = learn_boilerplate(copies)
    assert remove_boilerplate(copies[0], learned) == copies[0]  # all of it repeats: an update, not boilerplate


@pytest.mark.parametrize(
    "line",
    [
        "READ MORE: Plymouth protests erupt",
        "Loading...",
        "Share this article",
        "Subscribe now!",
        "Advertisement",
        "© dpa-infocom, dpa:230428-99-483045/5",
        "ALSO READ: Solar firm to boost clean energy uptake",
        "Read more:",
    ],
)
def test_generic_boilerplate_lines(line):
    assert is_generic_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "Related fighting killed 12 people in the town on Monday, officials said.",
        "Share prices fell after the attack.",
        "Reuters reported that 22 people were killed.",
    ],
)
def test_report_lines_are_not_boilerplate(line):
    assert not is_generic_boilerplate(line)


@pytest.mark.parametrize(
    ("title", "sitename", "url", "expected"),
    [
        ("Strike kills 12 | CBC News", "CBC", "https://www.cbc.ca/news/1", "Strike kills 12"),
        (
            "Russland-Wahl: Ende der Putin-Ära – DW – 30.01.2024",
            "DW.COM",
            "https://www.dw.com/de/x",
            "Russland-Wahl: Ende der Putin-Ära",
        ),
        (
            "Steigende US-Zinsen setzen Dax zu | Börsen-Zeitung",
            "Börsen-Zeitung",
            "https://www.boersen-zeitung.de/a",
            "Steigende US-Zinsen setzen Dax zu",
        ),
        (
            "南海トラフ、一時調査 巨大地震、基準達せず：中日新聞Web",
            "中日新聞Web",
            None,
            "南海トラフ、一時調査 巨大地震、基準達せず",
        ),
        ("Israel - Gaza talks resume", "Reuters", "https://www.reuters.com/x", "Israel - Gaza talks resume"),
        (
            "Talks resume - Gaza talks with Reuters",
            "Reuters",
            "https://www.reuters.com/x",
            "Talks resume - Gaza talks with Reuters",
        ),
        ("Bombing in Kabul - Golem.de", None, "https://www.golem.de/news/1", "Bombing in Kabul"),
    ],
)
def test_clean_title(title, sitename, url, expected):
    assert clean_title(title, sitename, url) == expected


def test_decode_html_charsets():
    text = "Café Zürich – „Über“"
    assert decode_html(text.encode("utf-8"), "text/html; charset=x-bogus") == text
    gb = "<html><head><meta charset='gb2312'></head><body>建国35周年纪念</body></html>"
    assert "建国35周年纪念" in decode_html(gb.encode("gb2312"))
    assert decode_html("naïve “quotes”".encode("cp1252"), "text/html; charset=iso-8859-1") == "naïve “quotes”"
    assert decode_html("plain".encode("utf-16"), "") == "plain"
    # UTF-8 bytes under a latin-1 label (re-encoded pages): read as UTF-8, not as "fÃ¼r".
    assert decode_html("für".encode(), "text/html; charset=iso-8859-1") == "für"


def test_language_needs_enough_text():
    assert detect_language("Hi") is None
    assert detect_language("Die Behörden meldeten am Montag mehrere Tote nach dem Angriff auf das Dorf.") == "de"
