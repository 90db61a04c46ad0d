"""Grow a real corpus to any size with realistic variation, not copies.

Each new report takes a base article and recombines it with paragraphs of another article of the same corpus,
swaps names and places for others seen in the corpus, moves the numbers, and varies the title. A few per cent are
reruns of an earlier grown report (a syndicated copy with a byline and a trimmed tail), so dedup has real copies
to find at every size.
"""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta

_NAME = re.compile(r"\b[A-Z][a-z]{2,}(?:\s[A-Z][a-z]{2,})?\b")
_NUMBER = re.compile(r"\b\d{1,4}\b")
_STOP = {"The", "This", "That", "There", "They", "When", "What", "After", "Police", "According", "And", "But"}
_TITLE_PREFIX = ["", "", "", "UPDATE: ", "Breaking: ", "Police: ", "Officials say ", "Report: "]
_BYLINES = ["By Staff Writer", "From wire reports", "By the Associated Press", "Local desk"]


def _paragraphs(text: str) -> list[str]:
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    if len(parts) >= 3:
        return parts
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
    return [" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2)] or [text]


def _vary(s: str, swap: dict[str, str], shift: int, rng: random.Random) -> str:
    """Return s with names swapped and about half of its numbers moved by `shift`."""
    s = _NAME.sub(lambda m: swap.get(m.group(), m.group()), s)
    return _NUMBER.sub(lambda m: str(max(0, int(m.group()) + shift)) if rng.random() < 0.5 else m.group(), s)


def grow(records: list[dict], n: int, seed: int = 7, copy_rate: float = 0.05) -> list[dict]:
    """Return n reports (id, outlet, url, title, text, published) grown from the corpus records."""
    rng = random.Random(seed)
    names = sorted({m for r in records for m in _NAME.findall(r.get("text") or "") if m.split()[0] not in _STOP})
    outlets = sorted({r["outlet"] for r in records})
    paragraphs = [_paragraphs(r.get("text") or "") for r in records]
    out: list[dict] = []
    for i in range(n):
        if out and rng.random() < copy_rate:
            src = out[rng.randrange(len(out))]
            parts = src["text"].split("\n")
            text = "\n".join([rng.choice(_BYLINES)] + parts[: max(2, int(len(parts) * 0.8))])
            title, published = src["title"], src["published"]
        else:
            k = rng.randrange(len(records))
            base, other = paragraphs[k], paragraphs[rng.randrange(len(records))]
            parts = [p if rng.random() > 0.3 else rng.choice(other) for p in base]
            if rng.random() < 0.3:  # the later paragraphs in another order (the lead stays first)
                tail = parts[1:]
                rng.shuffle(tail)
                parts[1:] = tail
            swap = {m: rng.choice(names) for m in sorted(set(_NAME.findall(" ".join(parts)))) if rng.random() < 0.5}
            shift = rng.choice([-3, -2, -1, 1, 2, 3, 5, 10])

            text = "\n".join(_vary(p, swap, shift, rng) for p in parts)
            title = rng.choice(_TITLE_PREFIX) + _vary(records[k].get("title") or "", swap, shift, rng)
            day = datetime(2016, 1, 1) + timedelta(days=rng.randrange(3 * 365), minutes=rng.randrange(1440))
            published = day.isoformat()
        outlet = rng.choice(outlets)
        out.append(
            {
                "id": f"grown-{i}",
                "outlet": outlet,
                "url": f"https://{outlet}.example/{i}",
                "title": title,
                "text": text,
                "published": published,
            }
        )
    return out
