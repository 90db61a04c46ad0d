"""Print extraction figures on the fundus fixtures: body token F1 of accord's extractor and of bare trafilatura.

Run: PYTHONPATH=src:. python analysis/extraction_f1.py
"""

from __future__ import annotations

import statistics
import time

import trafilatura

from accord.sources import ExtractionError, extract_page
from tests.sources.fundus import load_pages, same_title, token_f1


def main() -> None:
    pages = load_pages()
    ours, bare, titles, dates, dated = [], [], 0, 0, 0
    started = time.perf_counter()
    for page in pages:
        html = page.html()
        try:
            content = extract_page(html, page.url)
            text, title, published = content.text, content.title, content.published
        except ExtractionError:
            text, title, published = "", "", None
        ours.append(token_f1(text, page.body))
        bare.append(token_f1(trafilatura.extract(html) or "", page.body))
        titles += same_title(title, page.title)
        if page.published:
            dated += 1
            dates += bool(published) and str(published.date()) == page.published[:10]
    print(f"pages: {len(pages)}  seconds: {time.perf_counter() - started:.1f}")
    print(f"body token F1  accord: {statistics.mean(ours):.4f}  bare trafilatura.extract: {statistics.mean(bare):.4f}")
    pairs = list(zip(ours, bare, strict=True))
    better, worse = sum(o > b for o, b in pairs), sum(o < b for o, b in pairs)
    print(f"pages better / worse / equal: {better} / {worse} / {len(pairs) - better - worse}")
    print(f"title exact: {titles / len(pages):.3f}  date (day) exact: {dates / dated:.3f} of {dated}")


if __name__ == "__main__":
    main()
