"""Mojibake repair where text enters accord (snapshot records and fetched pages), with ftfy.

Text decoded with the wrong charset reaches the report as boxes or stray letters: a Windows-1252 bullet read as
Latin-1 is the control character U+0095, UTF-8 read as Windows-1252 prints "fÃ¼r". ftfy repairs both. Only text that
shows such a sign is passed to ftfy (most reports have none, and ftfy costs far more than the check), and only the
repairs are applied: quotes stay curly, HTML entities, line breaks and character widths stay as written.
"""

from __future__ import annotations

import re

import ftfy

# C1 control characters (never in real text), and the lead bytes of UTF-8 read as Windows-1252 or Latin-1.
_SUSPECT = re.compile("[\x80-\x9f]|[ÂÃâ][\x80-\xbf\u0152-\u2122]")

_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_character_width=False,
    fix_latin_ligatures=False,
    normalization=None,
)


def repair_text(text: str) -> str:
    """Return `text` with mojibake and stray C1 control characters repaired (unchanged when it shows none)."""
    if not text or not _SUSPECT.search(text):
        return text
    return ftfy.fix_text(text, _CONFIG)
