#!/usr/bin/env python3
"""Build the demo's saved pages and feeds (data/demo/) from the fundus parser fixtures (MIT).

Copies a handful of real news pages about violent incidents, as fundus saved them (gzipped HTML), and writes one
RSS 2.0 feed per outlet listing its pages at the demo server's address, with each page's original URL and
publication date from fundus's expected output. tools/demo_server.py serves them for `make run`.
Usage: tools/make_demo.py ../shared/data/fundus-parser-fixtures [data/demo]
"""

from __future__ import annotations

import json
import shutil
import sys
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

BASE = "http://127.0.0.1:8765"  # tools/demo_server.py's default address; it rewrites this when it runs elsewhere

# (outlet, fixture html, fundus expected-output file, version matching that html)
PAGES = [
    ("globalnews", "ca/GlobalNews_2026_05_24.html.gz", "ca/GlobalNews.json", "V1"),
    ("reuters", "us/Reuters_2024_03_07.html.gz", "us/Reuters.json", "V1_1"),
    ("nationalpost", "ca/NationalPost_2025_05_08.html.gz", "ca/NationalPost.json", "V1_1"),
    ("mirror", "uk/TheMirror_2024_08_05.html.gz", "uk/TheMirror.json", "V1_1"),
]


def _original_url(fixtures: Path, html: str) -> str:
    meta = json.loads((fixtures / "test_data" / Path(html).parent / "meta.info").read_text(encoding="utf-8"))
    return meta[Path(html).name]["url"]


def main(fixtures: Path, target: Path) -> None:
    (target / "pages").mkdir(parents=True, exist_ok=True)
    (target / "feeds").mkdir(parents=True, exist_ok=True)
    rows = []
    for outlet, html, expected, version in PAGES:
        name = Path(html).name.removesuffix(".gz")
        shutil.copyfile(fixtures / "test_data" / html, target / "pages" / f"{name}.gz")
        parsed = json.loads((fixtures / "test_data" / expected).read_text(encoding="utf-8"))[version]
        published = datetime.fromisoformat(parsed["publishing_date"])
        link = f"{BASE}/pages/{name}"
        original = _original_url(fixtures, html)
        rows.append((outlet, name, original))
        feed = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
  <channel>
    <title>{escape(outlet)} (accord demo)</title>
    <link>{BASE}/</link>
    <description>A saved page of {escape(outlet)} (fundus parser fixtures, MIT; see ATTRIBUTION.md)</description>
    <item>
      <title>{escape(parsed["title"])}</title>
      <link>{link}</link>
      <guid isPermaLink="false">{escape(original)}</guid>
      <pubDate>{format_datetime(published)}</pubDate>
      <source url="{escape(original)}">{escape(outlet)}</source>
    </item>
  </channel>
</rss>
"""
        (target / "feeds" / f"{outlet}.xml").write_text(feed, encoding="utf-8")
    listing = "\n".join(f"| {o} | `pages/{n}` | {u} |" for o, n, u in rows)
    shutil.copyfile(fixtures / "LICENSE.fundus-MIT.txt", target / "LICENSE.fundus-MIT.txt")
    (target / "ATTRIBUTION.md").write_text(
        f"""# Demo pages: attribution

The pages in `pages/` are news pages as saved by the fundus project's parser test fixtures
(github.com/flairNLP/fundus, `tests/resources/parser/test_data/`), which fundus ships under the MIT licence
(Copyright (c) 2023 Max Dallabetta, Conrad Dobberstein, Aaron Wey; `LICENSE.fundus-MIT.txt`). The articles'
content belongs to their publishers; they are kept here, gzipped and unchanged, as fixtures for accord's demo
(`make run` serves them from a local server), not as a corpus. `feeds/` are RSS feeds written for the demo by
`tools/make_demo.py`, one per outlet, listing its page with the original URL (guid) and publication date.

| outlet | saved page | original URL |
|---|---|---|
{listing}
""",
        encoding="utf-8",
    )


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) == 3 else Path(__file__).parents[1] / "data" / "demo")
