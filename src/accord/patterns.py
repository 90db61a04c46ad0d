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


# A figure given as risen since an earlier one: "the death toll rose to 45", "the number of dead increased to 103",
# "climbs to", "revised upwards to". The extractor reads it before a count (an update that supersedes the lead's
# figure), the verdict in an account's sentence (a rising toll, not a disagreement).
TOLL_RISE = (
    r"(?:rose|risen|rises|rising|climb(?:s|ed|ing)?|increas(?:e|es|ed|ing)|jump(?:s|ed|ing)?|soar(?:s|ed|ing)?|"
    r"mount(?:s|ed|ing)?|grew|grown|grows|reach(?:es|ed)?|revised(?:\s+(?:up|upward|upwards))?)"
)


# A clash and the word that names its sides: "clashes between the army and the RSF", "fierce fighting between ...".
# The extractor reads the side named second as a party too; the verdict lets voices that name different sides of one
# clash agree.
CLASH_BETWEEN = (
    r"\b(?:clash(?:es)?|fighting|fights?|battles?|confrontations?|exchanges? of fire|hostilities)\s+(?:[\w-]+\s+){0,3}?"
    r"between\b"
)


# Attackers named by what they are, not who ("a gunman", "unidentified gunmen"): the catalogue's ids for them. They
# agree with any named actor (accord.verdict), and yield to the named attacker a report gives (accord.claims).
GENERIC_ATTACKERS = frozenset(
    {"lone-gunman", "gunman", "gunmen", "unidentified-gunmen", "unknown", "unknown-attackers"}
)
# ... of them, the ids for one attacker acting alone ("the gunman", "a former police officer")
LONE_ATTACKERS = frozenset({"lone-gunman", "gunman"})
# A user's list names them its own way ("lone-attacker", "lone-shooter", "unidentified-assailants")
_GENERIC_ATTACKER_ID = re.compile(r"(?:lone|unknown|unidentified|unnamed)(?:-[a-z]+)*")


def generic_attacker_id(actor_id: str) -> bool:
    """Whether `actor_id` names an attacker the news does not name: one of GENERIC_ATTACKERS, or an id a list spells
    like them ("lone-attacker")."""
    return actor_id in GENERIC_ATTACKERS or bool(_GENERIC_ATTACKER_ID.fullmatch(actor_id))
