"""What identifies an incident in a report, and so what is embedded for it: the title and the lead (the first
sentences of the body, without a date line or a repeat of the title)."""

from __future__ import annotations

import re

# The lead is kept short: MiniLM was trained on 128-token inputs and the first sentences carry the what/where/when.
LEAD_CHARS = 320

_DATELINE = re.compile(
    r"^\W*(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\s+)?\d{1,2}\s+[a-z]{3,9}\.?\s+\d{4}(?:\s+at\s+\d{3,4})?\s*",
    re.IGNORECASE,
)


def _strip_title(title: str, body: str) -> str:
    """Return the body without a leading date line and a leading repeat of the title."""
    body = body.lstrip(" \t\r\n×•|-")
    body = _DATELINE.sub("", body, count=1)
    key = re.sub(r"\W+", " ", title).strip().lower()
    if key:
        head = re.sub(r"\W+", " ", body[: len(title) + 20]).strip().lower()
        if head.startswith(key):
            # drop as many characters of the body as it takes to consume the title's words
            consumed, words = 0, key.split()
            for match in re.finditer(r"\w+", body):
                if not words:
                    break
                if match.group().lower() == words[0]:
                    words.pop(0)
                    consumed = match.end()
                else:
                    break
            body = body[consumed:].lstrip(" .:-—\t\r\n")
    return body


_SPACES = re.compile(r"\s+")


def _squeezed_head(text: str, chars: int) -> str:
    """Return `text` with its whitespace runs made one space and stripped, or a head of more than `chars` + 1
    characters whose first `chars` + 1 are those of that. Only the head of a long text is squeezed: a run cut by the
    end of the head still gives one space there, so the head's squeezed form is the whole's up to its last character
    (the clustering asked this of 2,000 characters a report to keep 320)."""
    size = 2 * chars + 16
    while True:
        if size >= len(text):
            return _SPACES.sub(" ", text).strip()
        head = _SPACES.sub(" ", text[:size]).lstrip()
        if len(head) > chars + 1:  # its last character may be the space a longer run gives: one more is whole
            return head
        size *= 4


def lead(title: str, text: str, chars: int = LEAD_CHARS) -> str:
    """Return the first sentences of the body, cut at a word boundary near `chars`."""
    body = _squeezed_head(_strip_title(title, text or ""), chars)
    if len(body) <= chars:
        return body
    cut = body.rfind(" ", 0, chars)
    return body[: cut if cut > 0 else chars]


def identity_text(title: str, text: str) -> str:
    """Return what is embedded for a report: its title and its lead."""
    title = re.sub(r"\s+", " ", title or "").strip()
    body = lead(title, text)
    return f"{title}. {body}" if title and body else (title or body)
