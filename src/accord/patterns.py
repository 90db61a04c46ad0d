"""Regular expressions built from word lists."""

from __future__ import annotations

import re
from collections.abc import Sequence


def trie_pattern(words: Sequence[str]) -> str:
    """Return a regular expression matching any of `words`, shaped as their prefix tree; at each point the longer
    continuation is tried first, so (with a boundary after it) the longest word that fits matches."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, dict]) -> str:
        ends = "" in node
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return pattern(trie)
