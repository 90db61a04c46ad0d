"""Shared rows for the report and alert tests: four stories, their articles and claims, three scored runs, and the
latest run's verdicts written as accord.verdict writes them (store.py's story_verdicts contract)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from accord.store import Store

T0 = datetime(2024, 5, 2, 6, 0)

# story id -> title
STORIES = {
    "s-idlib": "Air strikes hit training camp in Idlib",
    "s-aleppo": "Car bomb at Aleppo market",
    "s-homs": "Shelling on Homs neighbourhood",
    "s-daraa": None,  # no title of its own: the views and the report show its first report's title
}

# (id, story, outlet, copy_group, title, url, minutes after T0, killed (low, high, point, sentence) | None,
#  perpetrator (actor, words, stance, sentence) | None)
ARTICLES: list[tuple[Any, ...]] = [
    (
        "a1",
        "s-idlib",
        "Orient",
        "a1",
        "Russian jets kill scores at Idlib camp",
        "https://orient.example/idlib",
        0,
        (40, 100, 60.0, "Russian air strikes killed scores of fighters, a spokesperson said."),
        (
            "russia",
            "Russian air strikes",
            "claimed",
            "Russian air strikes killed scores of fighters, a spokesperson said.",
        ),
    ),
    (
        "a2",
        "s-idlib",
        "Reuters",
        "a2",
        "Dozens killed in strikes on Idlib camp",
        "https://reuters.example/idlib",
        30,
        (24, 96, 36.0, "Dozens were killed in the strikes, according to a rebel commander."),
        ("russia", "Russian aircraft", "accused", "The commander accused Russian aircraft of the raid."),
    ),
    (
        "a3",
        "s-idlib",
        "AFP",
        "a2",
        "Dozens killed in strikes on Idlib camp (wire)",
        "https://afp.example/idlib",
        35,
        (24, 96, 36.0, "Dozens were killed in the strikes, according to a rebel commander."),
        ("russia", "Russian aircraft", "accused", "The commander accused Russian aircraft of the raid."),
    ),
    (
        "a4",
        "s-idlib",
        "SOHR",
        "a4",
        "78 dead in Russian raids on Idlib",
        "https://sohr.example/78",
        90,
        (78, 78, 78.0, "The Observatory documented 78 dead in the raids."),
        ("russia", "Russian warplanes", "asserted", "Russian warplanes carried out the raids."),
    ),
    (
        "a5",
        "s-idlib",
        "SANA",
        "a5",
        "<script>alert('x')</script> Army hits terrorist positions",
        "javascript:alert(document.cookie)",
        120,
        None,
        ("terrorists", "terrorists", "asserted", "Units struck <b>terrorist</b> positions & hideouts in Idlib."),
    ),
    (
        "b1",
        "s-aleppo",
        "Reuters",
        "b1",
        "Car bomb kills 12 in Aleppo",
        "https://reuters.example/aleppo",
        300,
        (12, 12, 12.0, "A car bomb killed 12 people at a market."),
        ("isis", "Islamic State", "claimed", "Islamic State claimed the attack."),
    ),
    (
        "b2",
        "s-aleppo",
        "Anadolu",
        "b2",
        "Aleppo blast: YPG blamed",
        "https://aa.example/aleppo",
        320,
        (10, 15, 12.0, "Between 10 and 15 people died."),
        ("ypg", "YPG militants", "accused", "Officials accused YPG militants of the bombing."),
    ),
    (
        "c1",
        "s-homs",
        "Reuters",
        "c1",
        "Shelling kills 5 in Homs",
        "https://reuters.example/homs",
        600,
        (5, 5, 5.0, "Shelling killed five civilians."),
        None,
    ),
    (
        "c2",
        "s-homs",
        "BBC",
        "c2",
        "Five dead as shells hit Homs",
        "https://bbc.example/homs",
        610,
        (5, 5, 5.0, "Five people were killed by shells."),
        None,
    ),
    (
        "d1",
        "s-daraa",
        "Enab Baladi",
        "d1",
        "IED kills soldier near Daraa",
        None,  # a record without a link (as FA-KES's)
        None,  # undated: never shown as collected "today"
        (1, 1, 1.0, "A roadside bomb killed a soldier."),
        None,
    ),
]

# run index -> story -> (grade, divergence, voices, outlets, consensus killed, consensus perpetrator)
SCORES = {
    0: {
        "s-idlib": ("corroborated", 0.30, 3, 4, 60.0, "russia"),
        "s-aleppo": ("contested", 0.55, 2, 2, 12.0, None),
        "s-homs": ("corroborated", 0.05, 2, 2, 5.0, None),
    },
    1: {
        "s-idlib": ("contested", 0.62, 4, 5, 60.0, "russia"),
        "s-aleppo": ("contested", 0.58, 2, 2, 12.0, None),
        "s-homs": ("corroborated", 0.05, 2, 2, 5.0, None),
        "s-daraa": ("single source", 0.0, 1, 1, 1.0, None),
    },
    2: {
        "s-idlib": ("divergent", 0.86, 4, 5, 70.0, "russia"),
        "s-aleppo": ("contested", 0.57, 2, 2, 12.0, None),
        "s-homs": ("corroborated", 0.04, 2, 2, 5.0, None),
        "s-daraa": ("single source", 0.0, 1, 1, 1.0, None),
    },
}


def _count(voice: str, outlets: list[str], article: str, value: int, low: int, high: int) -> dict[str, Any]:
    """One voice's toll as evidence, its sentence and link read from ARTICLES (as accord.verdict writes it)."""
    row = next(a for a in ARTICLES if a[0] == article)
    minutes = row[6]
    return {
        "voice": voice,
        "outlets": outlets,
        "article_id": article,
        "url": row[5],
        "published": None if minutes is None else (T0 + timedelta(minutes=minutes)).isoformat(),
        "sentence": row[7][3],
        "value": value,
        "low": low,
        "high": high,
    }


def _actor(voice: str, outlets: list[str], article: str, speaker: str | None) -> dict[str, Any]:
    row = next(a for a in ARTICLES if a[0] == article)
    minutes = row[6]
    actor, _words, stance, sentence = row[8]
    return {
        "voice": voice,
        "outlets": outlets,
        "article_id": article,
        "url": row[5],
        "published": None if minutes is None else (T0 + timedelta(minutes=minutes)).isoformat(),
        "sentence": sentence,
        "actor": actor,
        "stance": stance,
        "speaker": speaker,
    }


# The latest run's verdicts: story -> question -> (verdict, summary, evidence); and each story's headline.
VERDICTS: dict[str, dict[str, tuple[str, str, list[dict[str, Any]]]]] = {
    "s-idlib": {
        "killed": (
            "divergent",
            "The death toll diverges: 36 (Reuters, AFP) against 78 (SOHR), with 60 (Orient) between.",
            [
                _count("a2", ["Reuters", "AFP"], "a2", 36, 24, 96),
                _count("a1", ["Orient"], "a1", 60, 40, 100),
                _count("a4", ["SOHR"], "a4", 78, 78, 78),
            ],
        ),
        "injured": ("none stated", "No voice states an injured count.", []),
        "attribution": (
            "contested",
            "Attribution is contested: three voices blame Russia, SANA blames terrorists.",
            [
                _actor("a1", ["Orient"], "a1", "a spokesperson"),
                _actor("a2", ["Reuters", "AFP"], "a2", "a rebel commander"),
                _actor("a4", ["SOHR"], "a4", None),
                _actor("a5", ["SANA"], "a5", None),
            ],
        ),
    },
    "s-aleppo": {
        "killed": (
            "agreeing",
            "The death toll agrees: 12 (Reuters), 10–15 (Anadolu).",
            [_count("b1", ["Reuters"], "b1", 12, 12, 12), _count("b2", ["Anadolu"], "b2", 12, 10, 15)],
        ),
        "injured": ("none stated", "No voice states an injured count.", []),
        "attribution": (
            "contested",
            "Attribution is contested: Islamic State claimed it (Reuters), officials accuse the YPG (Anadolu).",
            [_actor("b1", ["Reuters"], "b1", "Islamic State"), _actor("b2", ["Anadolu"], "b2", "officials")],
        ),
    },
    "s-homs": {
        "killed": (
            "agreeing",
            "The death toll agrees: 5 (Reuters, BBC).",
            [_count("c1", ["Reuters"], "c1", 5, 5, 5), _count("c2", ["BBC"], "c2", 5, 5, 5)],
        ),
        "injured": ("none stated", "No voice states an injured count.", []),
        "attribution": ("none named", "No voice names who did it.", []),
    },
}
HEADLINES = {
    "s-idlib": "The death toll drove the grade: 36 against 78 killed; attribution is contested too.",
    "s-aleppo": "Attribution drove the grade: Islamic State claimed it, officials accuse the YPG; the toll agrees.",
    "s-homs": "Voices agree: 5 killed.",
}

RELIABILITY = {
    "Orient": (0.8, 0.9, 0.85),
    "Reuters": (1.2, 1.25, 1.3),
    "AFP": (1.1, 1.1, 1.15),
    "SOHR": (1.0, 1.05, 1.1),
    "SANA": (0.6, 0.5, 0.4),
    "Anadolu": (0.9, 0.85, 0.8),
    "BBC": (1.1, 1.15, 1.2),
    "Enab Baladi": (1.0, 1.0, 1.0),
}


def add_articles(store: Store) -> None:
    """Insert the stories, articles and chosen claims above."""
    with store.transaction():
        for story, title in STORIES.items():
            minutes = [a[6] for a in ARTICLES if a[1] == story and a[6] is not None]
            span = [T0 + timedelta(minutes=min(minutes)), T0 + timedelta(minutes=max(minutes))] if minutes else [T0, T0]
            store.con.execute(
                "INSERT INTO stories (id, first_seen, last_seen, title, created_run) VALUES (?, ?, ?, ?, 1)",
                [story, *span, title],
            )
        for seq, (aid, story, outlet, group, title, url, minutes, killed, perp) in enumerate(ARTICLES, 1):
            published = None if minutes is None else T0 + timedelta(minutes=minutes)
            fetched = T0 + timedelta(days=30)  # collected long after: never to be shown as the publication time
            store.con.execute(
                "INSERT INTO articles (id, seq, url, outlet, title, text, published, fetched, content_hash, "
                "copy_group, story_id, extracted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, TRUE)",
                [aid, seq, url, outlet, title, f"{title}. Body text.", published, fetched, f"h{aid}", group, story],
            )
            store.con.execute("INSERT OR IGNORE INTO outlets VALUES (?, ?)", [outlet, fetched])
            if killed:
                low, high, point, sentence = killed
                store.con.execute(
                    "INSERT INTO claims (id, article_id, kind, low, high, point, scope, sentence, start_offset, "
                    "end_offset, chosen) VALUES (nextval('claim_seq'), ?, 'killed', ?, ?, ?, 'incident', ?, 0, ?, "
                    "TRUE)",
                    [aid, low, high, point, sentence, len(sentence)],
                )
                store.con.execute(  # a running total: kept but not chosen, must not appear as the toll
                    "INSERT INTO claims (id, article_id, kind, low, high, point, scope, sentence, start_offset, "
                    "end_offset, chosen) VALUES (nextval('claim_seq'), ?, 'killed', 380000, NULL, 380000, 'total', "
                    "'The war has killed more than 380,000.', 0, 10, FALSE)",
                    [aid],
                )
            if perp:
                actor, words, stance, sentence = perp
                store.con.execute(
                    "INSERT INTO claims (id, article_id, kind, actor, words, stance, sentence, start_offset, "
                    "end_offset, chosen) VALUES (nextval('claim_seq'), ?, 'perpetrator', ?, ?, ?, ?, 0, ?, TRUE)",
                    [aid, actor, words, stance, sentence, len(sentence)],
                )


def add_scores(
    store: Store,
    scores: dict[str, tuple[Any, ...]],
    reliability_index: int | None = None,
    verdicts: dict[str, dict[str, tuple[str, str, list[dict[str, Any]]]]] | None = None,
) -> int:
    """Start a run and write its story scores (and outlet reliability, and `verdicts` with their headlines as
    story_verdicts rows and story_scores' verdict columns); return the run id."""
    run = store.start_run("test")
    at = T0 + timedelta(hours=run.id)
    rows = []
    for story, (grade, divergence, voices, outlets, killed, perpetrator) in scores.items():
        rows.append(
            {
                "run_id": run.id,
                "story_id": story,
                "scored_at": at,
                "articles": outlets,
                "voices": voices,
                "outlets": outlets,
                "count_agreement": 1 - divergence,
                "attribution_agreement": 1 - divergence / 2,
                "divergence": divergence,
                "grade": grade,
                "contested": grade == "contested",
                "consensus_killed_low": killed,
                "consensus_killed_high": killed,
                "consensus_killed": killed,
                "consensus_injured_low": None,
                "consensus_injured_high": None,
                "consensus_injured": None,
                "consensus_perpetrator": perpetrator,
                "details": json.dumps({"voices": []}),
            }
        )
        story_verdicts = (verdicts or {}).get(story)
        if story_verdicts:
            rows[-1].update(
                {
                    "count_divergent": "divergent" in (story_verdicts["killed"][0], story_verdicts["injured"][0]),
                    "attribution_contested": story_verdicts["attribution"][0] == "contested",
                    "killed_verdict": story_verdicts["killed"][0],
                    "injured_verdict": story_verdicts["injured"][0],
                    "attribution_verdict": story_verdicts["attribution"][0],
                    "headline": HEADLINES.get(story),
                }
            )
    verdict_rows = [
        {
            "run_id": run.id,
            "story_id": story,
            "question": question,
            "verdict": verdict,
            "voices": len(evidence),
            "summary": summary,
            "evidence": json.dumps(evidence),
        }
        for story, questions in (verdicts or {}).items()
        if story in scores
        for question, (verdict, summary, evidence) in questions.items()
    ]
    with store.transaction():
        for row in rows:
            store.insert_rows("story_scores", [row])  # rows with and without verdict columns
        store.insert_rows("story_verdicts", verdict_rows)
        if reliability_index is not None:
            store.insert_rows(
                "outlet_reliability",
                [
                    {
                        "run_id": run.id,
                        "outlet": o,
                        "scored_at": at,
                        "weight": w[reliability_index],
                        "claims": 3,
                        "error": 1 / w[reliability_index],
                    }
                    for o, w in RELIABILITY.items()
                ],
            )
    store.finish_run(run, "completed", {}, [])
    return run.id


@pytest.fixture
def populated(tmp_path: Path) -> Path:
    """A closed database file with articles, claims and three scored runs."""
    path = tmp_path / "accord.duckdb"
    with Store(path) as store:
        add_articles(store)
        for index, scores in SCORES.items():
            add_scores(store, scores, reliability_index=index, verdicts=VERDICTS if index == max(SCORES) else None)
    return path
