"""The configured actor list: validation of entries and the packaged default list (actors.yaml)."""

from __future__ import annotations

from importlib import resources

import yaml

from accord.models import Actor

_ID_RE = r"^[a-z0-9][a-z0-9-]*$"


def parse_actors(entries: list[dict]) -> list[Actor]:
    """Return actors from entries like {"id": "russia", "name": "Russia", "aliases": [...]}.

    Raises ValueError naming the bad entry: not a mapping, unknown key, missing or malformed id, a name or alias that
    is not a non-empty string, or an id given twice.
    """
    import re

    if not isinstance(entries, list):
        raise ValueError(f"actors must be a list of entries, got {type(entries).__name__}")
    actors: list[Actor] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        where = f"actor entry {i} ({entry!r})"
        if not isinstance(entry, dict):
            raise ValueError(f"{where}: expected a mapping with id, name and aliases")
        unknown = set(entry) - {"id", "name", "aliases"}
        if unknown:
            raise ValueError(f"{where}: unknown key(s) {sorted(unknown)}; expected id, name, aliases")
        actor_id = entry.get("id")
        if not isinstance(actor_id, str) or not re.match(_ID_RE, actor_id):
            raise ValueError(f"{where}: id must be a lowercase slug like 'syrian-government'")
        if actor_id in seen:
            raise ValueError(f"{where}: id {actor_id!r} is given twice")
        seen.add(actor_id)
        name = entry.get("name", actor_id)
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"{where}: name must be a non-empty string")
        aliases = entry.get("aliases", []) or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise ValueError(f"{where}: aliases must be a list of non-empty strings")
        actors.append(Actor(actor_id, name.strip(), tuple(a.strip() for a in aliases)))
    return actors


def load_default_actors() -> list[Actor]:
    """Return the packaged actor list (src/accord/claims/actors.yaml). Read-only."""
    text = resources.files("accord.claims").joinpath("actors.yaml").read_text(encoding="utf-8")
    return parse_actors(yaml.safe_load(text))
