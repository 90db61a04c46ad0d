"""The actor catalogue: its validation, the packaged catalogue, a configuration's additions, and the reading of words
that name an actor only through the country a report is about ("the regime", "the junta", "al-Qaeda").

The packaged catalogue is two data files of accord/data/: actors.yaml (curated: the actors of current conflicts and the
words the news uses) and actors-world.yaml (generated: every country's state forces and the UCDP Actor Dataset's rebel
groups). A configuration's `actors` list extends the catalogue: an entry whose id is in the catalogue adds its words to
that entry, or replaces it with `replace: true`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace as replace_actor

import yaml

from accord.domain import read_text
from accord.models import Actor

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_COUNTRY_RE = re.compile(r"^[a-z]{2}$")
_KEYS = {"id", "name", "aliases", "countries", "parent", "state", "generic", "allies", "ucdp"}
CATALOGUE_FILES = ("actors.yaml", "actors-world.yaml")


def parse_actors(entries: list[dict]) -> list[Actor]:
    """Return actors from entries like {"id": "russia", "name": "Russia", "aliases": [...], "countries": ["ru"],
    "parent": None, "state": True}.

    Raises ValueError naming the bad entry: not a mapping, unknown key, missing or malformed id, a name or alias that
    is not a non-empty string, a country that is not an ISO alpha-2 code (either case: "SD" is kept as "sd"), a
    malformed parent, or an id given twice.
    """
    if not isinstance(entries, list):
        raise ValueError(f"actors must be a list of entries, got {type(entries).__name__}")
    actors: list[Actor] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        where = f"actor entry {i} ({entry!r})"
        if not isinstance(entry, dict):
            raise ValueError(f"{where}: expected a mapping with id, name and aliases")
        unknown = set(entry) - _KEYS
        if unknown:
            raise ValueError(f"{where}: unknown key(s) {sorted(unknown)}; expected {', '.join(sorted(_KEYS))}")
        actor_id = entry.get("id")
        if not isinstance(actor_id, str) or not _ID_RE.match(actor_id):
            raise ValueError(f"{where}: id must be a lowercase slug like 'syrian-government'")
        if actor_id in seen:
            raise ValueError(f"{where}: id {actor_id!r} is given twice")
        seen.add(actor_id)
        name = entry.get("name") or actor_id
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"{where}: name must be a non-empty string")
        aliases = entry.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise ValueError(f"{where}: aliases must be a list of non-empty strings")
        countries = entry.get("countries") or []
        if not isinstance(countries, list) or not all(
            isinstance(c, str) and _COUNTRY_RE.match(c.lower()) for c in countries
        ):
            raise ValueError(f"{where}: countries must be a list of ISO 3166 alpha-2 codes like 'sd' or 'SD'")
        countries = [c.lower() for c in countries]
        parent = entry.get("parent")
        if parent is not None and (not isinstance(parent, str) or not _ID_RE.match(parent)):
            raise ValueError(f"{where}: parent must be the id of another actor, like 'al-qaeda'")
        allies = entry.get("allies") or []
        if not isinstance(allies, list) or not all(isinstance(a, str) and _ID_RE.match(a) for a in allies):
            raise ValueError(f"{where}: allies must be a list of actor ids, like ['russia']")
        for flag in ("state", "generic"):
            if not isinstance(entry.get(flag, False), bool):
                raise ValueError(f"{where}: {flag} must be true or false")
        actors.append(
            Actor(
                actor_id,
                name.strip(),
                tuple(a.strip() for a in aliases),
                tuple(countries),
                parent,
                bool(entry.get("state", False)),
                bool(entry.get("generic", False)),
                tuple(allies),
            )
        )
    return actors


def _load(name: str) -> list[dict]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(read_text(name), Loader=loader)  # noqa: S506 - a safe loader


def _merge_into(base: Actor, extra: Actor) -> Actor:
    """`base` with `extra`'s aliases and countries added after its own (base's name, parent and flags kept)."""
    aliases = tuple(dict.fromkeys((*base.aliases, *(a for a in (extra.name, *extra.aliases) if a != base.name))))
    countries = tuple(dict.fromkeys((*base.countries, *extra.countries)))
    allies = tuple(dict.fromkeys((*base.allies, *extra.allies)))
    return Actor(base.id, base.name, aliases, countries, base.parent, base.state, base.generic, allies)


def _countries_meet(a: Actor, b: Actor) -> bool:
    """Whether two actors fight in a country in common (or either names none)."""
    return not a.countries or not b.countries or not set(a.countries).isdisjoint(b.countries)


def build_catalogue(curated: Sequence[Actor], generated: Sequence[Actor]) -> list[Actor]:
    """Return the curated actors, each joined by the generated entries that are the same actor (the same id, the same
    country's state forces, or a shared alias where their countries meet), then the other generated actors."""
    by_id = {a.id: i for i, a in enumerate(curated)}
    state_of = {a.countries[0]: i for i, a in enumerate(curated) if a.state and a.countries}
    alias_of: dict[str, int] = {}
    for i, a in enumerate(curated):
        for alias in (a.name, *a.aliases):
            alias_of.setdefault(alias.lower(), i)
    out = list(curated)
    rest: list[Actor] = []
    for g in generated:
        target = by_id.get(g.id)
        if target is None and g.state and g.countries:
            target = state_of.get(g.countries[0])
        if target is None and not g.state:
            # a shared alias joins actors of the same countries only: UCDP's "JEM" (Sudan) is no "JeM" (Kashmir)
            keys = (a.lower() for a in (g.name, *g.aliases))
            target = next((alias_of[k] for k in keys if k in alias_of and _countries_meet(g, out[alias_of[k]])), None)
        if target is None:
            rest.append(g)
        else:
            out[target] = _merge_into(out[target], g)
    taken = {a.id for a in out}
    # a generated actor of other countries keeps its own name ("JEM", "NDF": a name two theatres share, read by where
    # the report is) but not the curated actors' other words: Darul Islam's "Islamic State" is not the Islamic State
    return out + [
        g if g.state else replace_actor(g, aliases=tuple(a for a in g.aliases if a.lower() not in alias_of))
        for g in rest
        if g.id not in taken
    ]


_DEFAULT: list[Actor] | None = None


def load_default_actors() -> list[Actor]:
    """Return the packaged actor catalogue (accord/data/actors.yaml joined by actors-world.yaml). Read-only."""
    global _DEFAULT
    if _DEFAULT is None:
        curated = parse_actors(_load(CATALOGUE_FILES[0]))
        generated = parse_actors(_load(CATALOGUE_FILES[1]))
        _DEFAULT = build_catalogue(curated, generated)
    return list(_DEFAULT)


def extend_actors(catalogue: Sequence[Actor], entries: Iterable[Actor], replace: Iterable[str] = ()) -> list[Actor]:
    """Return the catalogue extended by a configuration's actors. An entry whose id is in the catalogue joins that
    entry (its name, countries, parent and flags win; its aliases come first, the catalogue's stay), or replaces it
    when its id is in `replace`; the others are added. The configuration's actors come first, so that their aliases
    win where an alias is also another actor's."""
    replaced = set(replace)
    by_id = {a.id: a for a in catalogue}
    renamed: dict[str, str] = {}  # catalogue id -> the configuration's id for the same actor
    names: dict[str, set[str]] = {}  # catalogue id -> its name and aliases, lowercase (made when first needed)
    added = []
    for entry in entries:
        old = by_id.get(entry.id)
        if old is None and entry.id not in replaced:
            same = _same_actor(entry, catalogue, set(renamed) | {e.id for e in added}, names)
            if same is not None:
                # "ENDF" with the aliases "Ethiopian army" and "Ethiopian military": Ethiopia's state forces under the
                # configuration's id, so that "government forces" in Ethiopia name it too
                renamed[same.id] = entry.id
                old = same
        if old is not None and entry.id not in replaced:
            entry = Actor(
                entry.id,
                entry.name,
                tuple(dict.fromkeys((*entry.aliases, *(a for a in (old.name, *old.aliases) if a != entry.name)))),
                entry.countries or old.countries,
                entry.parent or old.parent,
                entry.state or old.state,
                entry.generic or old.generic,
                tuple(dict.fromkeys((*entry.allies, *old.allies))),
            )
        added.append(entry)
    ids = {a.id for a in added} | set(renamed)
    rest = [a for a in catalogue if a.id not in ids]
    if not renamed:
        return added + rest
    # the catalogue's relations under the configuration's ids, for its own entries too: a configuration's "adf" keeps
    # the catalogue's parent, the Islamic State, which the configuration calls "islamic-state"
    return [
        replace_actor(
            a,
            parent=renamed.get(a.parent, a.parent) if a.parent else None,
            allies=tuple(renamed.get(x, x) for x in a.allies),
        )
        for a in added + rest
    ]


# A configuration's actor is a catalogue actor under another id when it shares this many of its names and aliases
SAME_ACTOR_ALIASES = 2


def _same_actor(entry: Actor, catalogue: Sequence[Actor], taken: set[str], names: dict[str, set[str]]) -> Actor | None:
    """Return the catalogue actor that a configuration's `entry` (an id the catalogue lacks) names: the one sharing
    its name, or the most of at least SAME_ACTOR_ALIASES of its names and aliases (case-insensitive); else None. One
    shared common alias ("Yemen's armed forces" for the Houthis) does not make the state's forces the entry."""
    words = {w.lower() for w in (entry.name, *entry.aliases)}
    best, best_shared = None, 0
    for actor in catalogue:
        if actor.id in taken or actor.generic:
            continue
        theirs = names.get(actor.id)
        if theirs is None:
            theirs = names[actor.id] = {w.lower() for w in (actor.name, *actor.aliases)}
        shared = len(words & theirs)
        if entry.name.lower() == actor.name.lower():
            shared += SAME_ACTOR_ALIASES
        if shared >= SAME_ACTOR_ALIASES and shared > best_shared:
            best, best_shared = actor, shared
    return best


# Words of a creed or doctrine that English capitalises, which make no name of what they qualify ("Islamist rebels")
_CREEDS = frozenset({"islamist", "jihadist", "salafist", "maoist", "marxist", "communist", "leftist"})


def _common_words(alias: str) -> bool:
    """Whether `alias` is common words, not a name: all lowercase ("rebels", "opposition fighters"), or a creed's
    adjective before lowercase words ("Islamist rebels")."""
    if not alias[:1].isalpha():
        return False
    if alias == alias.lower():
        return True
    first, _, rest = alias.partition(" ")
    return bool(rest) and first.lower() in _CREEDS and rest == rest.lower()


def affiliate_branches(actors: Sequence[Actor]) -> dict[tuple[str, str], str]:
    """Return every armed group's affiliate by (parent, country it fights in), the first listed for each: not a
    state's force (Wagner stays Russia's), not a faction of an affiliate (JNIM's Katiba Macina is no country's
    branch)."""
    by_id = {a.id: a for a in actors}
    out: dict[tuple[str, str], str] = {}
    for a in actors:
        parent = by_id.get(a.parent) if a.parent else None
        if parent is not None and not parent.state and parent.parent is None:
            for country in a.countries:
                out.setdefault((a.parent, country), a.id)
    return out


class Catalogue:
    """An actor list with the indexes that read country-bound words: each country's state forces and each group's
    affiliates by country."""

    def __init__(self, actors: Sequence[Actor]):
        self.actors = tuple(actors)
        self.by_id = {a.id: a for a in self.actors}
        self._state: dict[str, str] = {}
        self._affiliates: dict[tuple[str, str], str] = {}
        for a in self.actors:
            if a.state and a.countries:
                self._state.setdefault(a.countries[0], a.id)
        self._branches = affiliate_branches(self.actors)
        for a in self.actors:
            parent = self.by_id.get(a.parent) if a.parent else None
            # a state's name stays the state ("Russian forces" in Syria are Russia, not Wagner)
            if parent is not None and not parent.state:
                for country in a.countries:
                    if country not in parent.countries:  # where the parent fights itself, it is the parent
                        self._affiliates.setdefault((a.parent, country), a.id)
        self._generic = {a.id for a in self.actors if a.generic} | {p for p, _ in self._affiliates}
        # a state's own coalition or force bound to where it fights ("US air strikes" are the US-led coalition's in
        # Syria, the United States' off Venezuela): the state outside those countries
        self._state_branch = {
            a.id: a.parent
            for a in self.actors
            if a.countries and a.parent in self.by_id and self.by_id[a.parent].state and not a.state
        }
        # common words that name an actor only where it fights ("rebels" are Syria's armed opposition in a report about
        # Syria, nobody in particular in one about India; "coalition" is the US-led one in Iraq, the Saudi-led one in
        # Yemen): aliases written all in lowercase, of an actor bound to countries -> every such actor, in order
        self._theatre_words: dict[str, list[str]] = {}
        for a in self.actors:
            if a.generic or not a.countries:
                continue
            for alias in (a.name, *a.aliases):
                if _common_words(alias) and a.id not in self._theatre_words.get(alias.lower(), ()):
                    self._theatre_words.setdefault(alias.lower(), []).append(a.id)
        # a name two actors of different theatres bear ("People's Defence Forces": Myanmar's PDF, the PKK's HPG): the
        # one that fights where the report is; where neither does, the first
        named: dict[str, list[str]] = {}
        for a in self.actors:
            if a.generic or not a.countries:
                continue
            for alias in {w.lower(): w for w in (a.name, *a.aliases) if not _common_words(w)}:
                if a.id not in named.setdefault(alias, []):
                    named[alias].append(a.id)
        self._shared_names = {alias: ids for alias, ids in named.items() if len(ids) > 1}
        # actors that share such words: a speaker named by them ("the coalition said") is the one where the report is
        self._kin: dict[str, list[str]] = {}
        for ids in [*self._theatre_words.values(), *self._shared_names.values()]:
            for a in ids:
                self._kin.setdefault(a, [])
                self._kin[a] += [b for b in ids if b != a and b not in self._kin[a]]

    def is_generic(self, actor_id: str) -> bool:
        """Whether `actor_id` is read through a report's country: generic words, or a group with affiliates."""
        return actor_id in self._generic

    def state_of(self, country: str) -> str | None:
        """Return the id of `country`'s state forces (ISO alpha-2, lowercase), or None."""
        return self._state.get(country)

    def resolve(self, actor_id: str, countries: Sequence[str]) -> str:
        """Return the actor that `actor_id` names in a report about `countries` (most named first): generic words
        ("the regime", "the junta", "government forces") name the state forces of the first country that has them;
        a parent group ("al-Qaeda", "Islamic State"; not a state) names its affiliate in the country the report is most
        about, where the parent does not fight under its own name (HTS in Syria, JNIM in Mali, but the Islamic State in
        Syria). Any other id, or one no country resolves, is returned as it is."""
        actor = self.by_id.get(actor_id)
        if actor is None:
            return actor_id
        if actor.generic:
            for country in countries:
                found = self._state.get(country)
                if found:
                    return found
            return actor_id
        # a parent group stands for its affiliate only in the country the report is most about
        return self._affiliates.get((actor_id, countries[0]), actor_id) if countries else actor_id

    def branch_of(self, actor_id: str, countries: Sequence[str]) -> str | None:
        """Return the affiliate of the group `actor_id` in the country a report is most about, also where the parent
        fights under its own name ("militants linked to the Islamic State" in Mozambique are its Mozambique
        province), else None."""
        return self._branches.get((actor_id, countries[0])) if countries else None

    def is_state_branch(self, actor_id: str) -> bool:
        """Whether `actor_id` is a state's force bound to the countries where it fights (see `beyond_theatre`)."""
        return actor_id in self._state_branch

    def beyond_theatre(self, actor_id: str, countries: Sequence[str]) -> str:
        """Return the actor that a mention of `actor_id` names in a report about `countries`: the state it belongs to
        where `actor_id` is a state's force bound to other countries than those the report names; else itself."""
        state = self._state_branch.get(actor_id)
        if state is None or not countries or set(countries).intersection(self.by_id[actor_id].countries):
            return actor_id
        return state

    def is_theatre_word(self, words: str) -> bool:
        """Whether `words` (a mention's text) are common words bound to the countries of the actors they name, or a
        name that actors of different theatres bear."""
        return words.lower() in self._theatre_words or words.lower() in self._shared_names

    def has_kin(self, actor_id: str | None) -> bool:
        """Whether another actor shares words with `actor_id` that name whichever of them fights where a report is."""
        return actor_id in self._kin

    def speaker_in_theatre(self, actor_id: str, countries: Sequence[str]) -> str:
        """Return the actor a speaker `actor_id` is in a report about `countries`: itself where it fights in one of
        them (or none is named), else the first actor sharing its words (`has_kin`) that does: "the coalition said"
        in a report about Yemen is the Saudi-led one."""
        here = set(countries)
        if not here or here.intersection(self.by_id[actor_id].countries):
            return actor_id
        return next((k for k in self._kin.get(actor_id, ()) if here.intersection(self.by_id[k].countries)), actor_id)

    def in_theatre(self, actor_id: str, words: str, countries: Sequence[str]) -> str | None:
        """Return the actor that a mention of `actor_id` by `words` names in a report about `countries`: itself where
        its words are neither common ones nor a shared name (`is_theatre_word`) or the report names no country; else
        the first of the actors those words name that fights in the country the report is most about (else in the next
        it names); else, for common words None (nobody in particular), for a name `actor_id`."""
        shared = self._shared_names.get(words.lower())
        ids = self._theatre_words.get(words.lower()) or shared
        if not ids or actor_id not in ids or not countries:
            return actor_id
        for country in countries:  # the country the report is most about first ("Taliban" beside "the Afghan border")
            # ... and of the actors fighting there, the one whose list names it first: its main theatre ("coalition" in
            # Yemen is the Saudi-led one, not a force that lists Yemen after four others)
            fighting = [c for c in (actor_id, *ids) if country in self.by_id[c].countries]
            if fighting:
                return min(fighting, key=lambda c: self.by_id[c].countries.index(country))
        return actor_id if shared else None


def resolve_generic(actor_id: str, countries: Sequence[str], actors: Sequence[Actor] | None = None) -> str:
    """Return the actor that `actor_id` names in a report about `countries` (see Catalogue.resolve); the packaged
    catalogue unless `actors` is given."""
    return _catalogue(tuple(actors) if actors is not None else None).resolve(actor_id, countries)


_CATALOGUES: dict[int, Catalogue] = {}


def _catalogue(actors: tuple[Actor, ...] | None) -> Catalogue:
    key = 0 if actors is None else hash(actors)
    if key not in _CATALOGUES:
        _CATALOGUES[key] = Catalogue(load_default_actors() if actors is None else actors)
    return _CATALOGUES[key]
