"""Alerts on divergent stories: rules, per-story alert state, and an outbox for delivery.

State machine per story (alert_state.state; no row = never alerted):

    (none) or resolved --matches the rules--------------------------> divergent
    divergent/escalated --grade worsened, or divergence rose by
                          ESCALATION_STEP since the last alert------> escalated
    divergent/escalated --no longer matches (with RESOLVE_MARGIN)---> resolved

Each transition is one alert, written to the outbox (the `alerts` table, one row per channel) in the same
transaction as the state change and before anything is sent. `deliver_pending` then sends undelivered rows
and records each attempt, so a crash loses nothing: rows planned but not sent are sent by the next run.
A crash between a send and its "delivered" mark can only cause a resend of the identical payload, which
carries the row's id as `alert_id` (and the `Idempotency-Key` header for webhooks) so a receiver drops it;
the file channel checks its own file for the id before appending, so it never holds a line twice.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from accord.config import AlertsConfig, ChannelConfig
from accord.errors import ConfigError
from accord.store import Store, utcnow

log = logging.getLogger("accord.alerts")

# A divergent story is alerted again only when its divergence rose by this much since its last alert
# (or its grade worsened); smaller moves are noise from one more article.
ESCALATION_STEP = 0.2
# An alerted story resolves only once its divergence falls this far under min_divergence, so a story
# hovering at the threshold does not alert on every run.
RESOLVE_MARGIN = 0.05
# Worse grades rank higher.
GRADE_SEVERITY = {"single source": 0, "corroborated": 1, "contested": 2, "divergent": 3}
ACTIVE_STATES = ("divergent", "escalated")
WEBHOOK_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
MAX_RESULT_CHARS = 500
# A run tries an undelivered alert this many times (a receiver restarting, a brief outage), waiting
# DELIVERY_BACKOFF s, then twice that, between rounds; what still fails waits for the next run (up to max_attempts).
RUN_DELIVERY_ROUNDS = 3
DELIVERY_BACKOFF = 1.0

Sender = Callable[[ChannelConfig, dict[str, Any]], str]
"""Delivers one payload through one channel; returns a short result ("HTTP 200") or raises on failure."""


@dataclass(frozen=True)
class Transition:
    story_id: str
    previous: str | None
    state: str
    rule: str


@dataclass(frozen=True)
class DeliveryCounts:
    sent: int = 0
    failed: int = 0
    skipped: int = 0  # rows whose channel is no longer configured; left for when it returns
    exhausted: int = 0  # undelivered rows that reached max_attempts: kept, not retried


# -- rules ----------------------------------------------------------------------------------------
def _escalation_step(config: AlertsConfig) -> float:
    return float(getattr(config, "escalation_step", ESCALATION_STEP))


def story_matches(score: dict[str, Any], actors: set[str], config: AlertsConfig, *, active: bool) -> tuple[bool, str]:
    """Return whether a story's latest score matches the alert rules, and the rule in words.

    All rules must hold: divergence >= min_divergence (less RESOLVE_MARGIN for an already alerted story),
    voices >= min_voices, grade in grades (when grades are given), and one of the actors of interest
    involved (when actors are given).
    """
    threshold = config.min_divergence - (RESOLVE_MARGIN if active else 0.0)
    divergence = score["divergence"] if score["divergence"] is not None else 0.0
    voices = score["voices"] or 0
    parts = [f"divergence {divergence:.2f} {'>=' if divergence >= threshold else '<'} {threshold:.2f}"]
    ok = divergence >= threshold
    parts.append(f"voices {voices} {'>=' if voices >= config.min_voices else '<'} {config.min_voices}")
    ok = ok and voices >= config.min_voices
    if config.grades:
        in_grades = score["grade"] in config.grades
        parts.append(f"grade {score['grade']} {'in' if in_grades else 'not in'} {', '.join(config.grades)}")
        ok = ok and in_grades
    if config.actors:
        involved = sorted(actors & set(config.actors))
        parts.append(f"actors {', '.join(involved)}" if involved else "no actor of interest")
        ok = ok and bool(involved)
    return ok, "; ".join(parts)


def next_state(
    previous: dict[str, Any] | None, score: dict[str, Any], actors: set[str], config: AlertsConfig
) -> Transition | None:
    """Return the story's state transition for this score, or None when its state stays as it is."""
    state = previous["state"] if previous else None
    active = state in ACTIVE_STATES
    matches, rule = story_matches(score, actors, config, active=active)
    story_id = score["story_id"]
    if not active:
        return Transition(story_id, state, "divergent", rule) if matches else None
    if not matches:
        return Transition(story_id, state, "resolved", rule)
    assert previous is not None
    worse_grade = GRADE_SEVERITY.get(score["grade"], -1) > GRADE_SEVERITY.get(previous.get("grade"), -1)
    rise = (score["divergence"] or 0.0) - (previous.get("divergence") or 0.0)
    if worse_grade or rise >= _escalation_step(config) - 1e-9:
        why = f"grade {previous.get('grade')} -> {score['grade']}" if worse_grade else f"divergence rose {rise:+.2f}"
        return Transition(story_id, state, "escalated", f"{why}; {rule}")
    return None


# -- planning: state transitions -> outbox ------------------------------------------------------------
def _story_actors(store: Store, story_ids: list[str]) -> dict[str, set[str]]:
    actors: dict[str, set[str]] = {s: set() for s in story_ids}
    if not story_ids:
        return actors
    for row in store.query(
        "SELECT DISTINCT a.story_id, c.actor FROM claims c JOIN articles a ON a.id = c.article_id "
        "WHERE c.kind = 'perpetrator' AND c.actor IS NOT NULL AND a.story_id IN (SELECT unnest(?::VARCHAR[]))",
        [story_ids],
    ):
        actors[row["story_id"]].add(row["actor"])
    return actors


def _accounts(store: Store, story_id: str) -> list[dict[str, Any]]:
    """Return each article's account for the payload: outlet, title, url, tolls, perpetrator, stance."""
    rows = store.query(
        """
        WITH chosen AS (
            SELECT * FROM claims WHERE chosen
            QUALIFY row_number() OVER (PARTITION BY article_id, kind ORDER BY id) = 1)
        SELECT a.outlet, a.title, a.url, a.published, k.point AS killed, k.low AS killed_low, k.high AS killed_high,
               k.sentence AS killed_sentence, p.actor AS perpetrator, p.stance, p.sentence AS perpetrator_sentence
        FROM articles a
        LEFT JOIN chosen k ON k.article_id = a.id AND k.kind = 'killed'
        LEFT JOIN chosen p ON p.article_id = a.id AND p.kind = 'perpetrator'
        WHERE a.story_id = ? ORDER BY coalesce(a.published, a.fetched), a.outlet, a.id
        """,
        [story_id],
    )
    for row in rows:
        row["published"] = row["published"].isoformat() if row["published"] else None
    return rows


def _disputes(store: Store, run_id: int, story_id: str) -> list[dict[str, Any]]:
    """Return the questions on which the story's voices disagree (divergent toll or injured count, contested
    attribution), each with its verdict in words and the quoted sentences of every voice."""
    rows = store.query(
        "SELECT question, verdict, summary, evidence FROM story_verdicts "
        "WHERE run_id = ? AND story_id = ? AND verdict IN ('divergent', 'contested') ORDER BY question = 'injured', "
        "question",
        [run_id, story_id],
    )
    return [
        {
            "question": r["question"],
            "verdict": r["verdict"],
            "summary": r["summary"],
            "evidence": json.loads(r["evidence"]) if r["evidence"] else [],
        }
        for r in rows
    ]


_QUESTION_WORDS = {"killed": "death toll", "injured": "injured count", "attribution": "who did it"}


def _payload(
    alert_id: int,
    run_id: int,
    transition: Transition,
    score: dict[str, Any],
    accounts: list[dict[str, Any]],
    created: str,
    disputes: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    title = score.get("title") or score["story_id"]
    disputes = disputes or []
    what = " and ".join(f"{d['verdict']} {_QUESTION_WORDS.get(d['question'], d['question'])}" for d in disputes)
    state = {"divergent": "new", "escalated": "worse", "resolved": "resolved"}.get(transition.state, transition.state)
    return {
        "alert_id": alert_id,  # the idempotency key: a receiver drops a payload whose id it has seen
        "event": f"{score['story_id']}:{run_id}:{transition.state}",
        "story_id": score["story_id"],
        "state": transition.state,
        "previous_state": transition.previous,
        "title": title,
        "summary": f"{what.capitalize() or score['grade'].capitalize()} ({state}): {title}. "
        f"{score.get('headline') or ''}".strip(),
        "headline": score.get("headline"),
        "disputes": disputes,
        "grade": score["grade"],
        "divergence": score["divergence"],
        "voices": score["voices"],
        "outlets": score["outlets"],
        "consensus_killed": score["consensus_killed"],
        "consensus_perpetrator": score["consensus_perpetrator"],
        "rule": transition.rule,
        "run_id": run_id,
        "created": created,
        "accounts": accounts,
    }


def plan_alerts(store: Store, run_id: int, config: AlertsConfig) -> list[int]:
    """Turn the run's story scores into state transitions and outbox rows (one per channel). Returns alert ids.

    Raises ConfigError when two channels share a label. Only stories scored in `run_id` count; when the
    run has no scores nothing changes. Idempotent for a run:
    planning it again finds the states already moved and plans nothing. Changes the database, in one
    transaction: `alerts` (new undelivered rows) and `alert_state`.
    """
    scores = store.query(
        "SELECT sc.*, s.title FROM story_scores sc LEFT JOIN stories s ON s.id = sc.story_id "
        "WHERE sc.run_id = ? ORDER BY sc.divergence DESC NULLS LAST, sc.story_id",
        [run_id],
    )
    if not scores:
        return []
    labels = [c.label for c in config.channels]
    if len(set(labels)) != len(labels):  # rows find their channel by label at delivery
        raise ConfigError(f"alerts.channels: two channels share a label ({', '.join(labels)}); give each a 'name'")
    states = {r["story_id"]: r for r in store.query("SELECT * FROM alert_state")}
    actors = _story_actors(store, [s["story_id"] for s in scores])
    planned = [(t, s) for s in scores if (t := next_state(states.get(s["story_id"]), s, actors[s["story_id"]], config))]
    if not planned:
        return []
    now = utcnow()
    ids: list[int] = []
    with store.transaction() as con:
        for transition, score in planned:
            accounts = _accounts(store, score["story_id"])
            disputes = _disputes(store, run_id, score["story_id"])
            for channel in config.channels:
                alert_id = store.scalar("SELECT nextval('alert_seq')")
                message = _payload(alert_id, run_id, transition, score, accounts, now.isoformat() + "Z", disputes)
                con.execute(
                    "INSERT INTO alerts (id, story_id, state, rule, channel, message, created, run_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        alert_id,
                        score["story_id"],
                        transition.state,
                        transition.rule,
                        channel.label,
                        json.dumps(message, default=str),
                        now,
                        run_id,
                    ],
                )
                ids.append(alert_id)
            con.execute(
                "INSERT OR REPLACE INTO alert_state (story_id, state, changed, grade, divergence, run_id) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [score["story_id"], transition.state, now, score["grade"], score["divergence"], run_id],
            )
    log.info("planned %d alerts for %d state changes in run %d", len(ids), len(planned), run_id)
    return ids


# -- delivery -------------------------------------------------------------------------------------
def _text(payload: dict[str, Any]) -> str:
    lines = [payload["summary"], f"rule: {payload['rule']}"]
    for dispute in payload.get("disputes", []):
        lines.append(f"{_QUESTION_WORDS.get(dispute['question'], dispute['question'])}: {dispute['verdict']}")
        for e in dispute.get("evidence", []):
            said = _fmt_value(e) if dispute["question"] != "attribution" else _fmt_claim(e)
            who = ", ".join(e.get("outlets") or [])
            lines.append(f'  - {who}: {said}: "{e.get("sentence", "")}" {e.get("url") or ""}'.rstrip())
    if payload.get("disputes"):
        lines.append("all accounts:")
    for a in payload.get("accounts", []):
        killed = a.get("killed") if a.get("killed") is not None else "—"
        lines.append(
            f"- {a['outlet']}: killed {killed}, perpetrator {a.get('perpetrator') or '—'} "
            f"({a.get('stance') or '—'}) {a.get('url') or ''}".rstrip()
        )
    lines.append(f"alert id: {payload['alert_id']}")
    return "\n".join(lines)


def _fmt_value(e: dict[str, Any]) -> str:
    value = e.get("value")
    return "—" if value is None else (str(int(value)) if float(value).is_integer() else str(value))


def _fmt_claim(e: dict[str, Any]) -> str:
    speaker = e.get("speaker")
    return f"{e.get('actor')} {e.get('stance')}" + (f" (says {speaker})" if speaker else "")


def send_webhook(channel: ChannelConfig, payload: dict[str, Any]) -> str:
    """POST the payload as JSON, with its alert id as the Idempotency-Key header. Raises on a non-2xx answer."""
    url = channel.resolve_url()
    try:
        response = httpx.post(
            url,
            json=payload,
            timeout=WEBHOOK_TIMEOUT,
            headers={"Idempotency-Key": str(payload["alert_id"]), "User-Agent": "accord-alerts"},
        )
    except httpx.HTTPError as error:  # the message may carry the URL and its token: name the kind only
        raise DeliveryError(f"{type(error).__name__}: {_redact(str(error), url)}") from None
    if not response.is_success:
        raise DeliveryError(f"HTTP {response.status_code}")
    return f"HTTP {response.status_code}"


def send_apprise(channel: ChannelConfig, payload: dict[str, Any]) -> str:
    """Notify through an apprise URL (Slack, e-mail, json://, ...). Raises when apprise reports failure."""
    import apprise

    url = channel.resolve_url()
    notifier = apprise.Apprise()
    if not notifier.add(url):
        raise DeliveryError("apprise does not accept this URL")
    if not notifier.notify(title=f"accord: {payload['summary']}"[:250], body=_text(payload)):
        raise DeliveryError("apprise reported a failed notification")
    return "apprise ok"


def send_file(channel: ChannelConfig, payload: dict[str, Any]) -> str:
    """Append the payload as one JSON line, unless the file already holds its alert id (a resend)."""
    assert channel.path is not None
    path = Path(channel.path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                try:
                    if json.loads(line).get("alert_id") == payload["alert_id"]:
                        return "already in file"
                except (ValueError, AttributeError):
                    continue  # a torn last line from a crash mid-write; the line we append is whole
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(payload, default=str, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return "appended"


DEFAULT_SENDERS: Mapping[str, Sender] = {"webhook": send_webhook, "apprise": send_apprise, "file": send_file}


class DeliveryError(Exception):
    """One delivery failed; recorded on the alert row and retried (later in the run, or next run)."""


def _redact(text: str, secret: str) -> str:
    return text.replace(secret, "<url>") if secret else text


def deliver_pending(
    store: Store,
    config: AlertsConfig,
    *,
    senders: Mapping[str, Sender] | None = None,
    rounds: int = 1,
    backoff: float = DELIVERY_BACKOFF,
    sleep: Callable[[float], None] = time.sleep,
) -> DeliveryCounts:
    """Send every undelivered alert with attempts < max_attempts through its channel; record each attempt.

    `senders` maps a channel kind (or a channel label, which wins) to a sender; the defaults POST webhooks
    with httpx, notify apprise URLs and append to files. The attempt is counted and committed before the
    send, the result after it. A failed row is tried again up to `rounds` times in all in this call (the pipeline
    passes RUN_DELIVERY_ROUNDS), waiting `backoff` s, doubling, between rounds, and never past max_attempts;
    `failed` counts the rows still undelivered at the end. Changes the database: alerts.attempts, first_sent,
    last_sent, delivered, result.
    """
    chosen = {**DEFAULT_SENDERS, **(senders or {})}
    channels = {c.label: c for c in config.channels}
    rows = store.query(
        "SELECT id, channel, message, attempts FROM alerts WHERE NOT delivered AND attempts < ? ORDER BY id",
        [config.max_attempts],
    )
    sent = skipped = 0
    pending = []
    for row in rows:
        if row["channel"] in channels:
            pending.append(row)
            continue
        skipped += 1
        store.con.execute("UPDATE alerts SET result = ? WHERE id = ?", ["channel no longer configured", row["id"]])
    failed = 0
    for round_number in range(max(1, rounds)):
        if round_number:
            sleep(backoff * 2 ** (round_number - 1))
        retry = []
        for row in pending:
            if _deliver(store, channels[row["channel"]], chosen, row):
                sent += 1
                continue
            row["attempts"] += 1
            retry.append(row)
        failed = len(retry)  # undelivered after this round
        pending = [row for row in retry if row["attempts"] < config.max_attempts]
        if not pending:
            break
    exhausted = store.scalar("SELECT count(*) FROM alerts WHERE NOT delivered AND attempts >= ?", [config.max_attempts])
    return DeliveryCounts(sent=sent, failed=failed, skipped=skipped, exhausted=int(exhausted))


def _deliver(store: Store, channel: ChannelConfig, senders: Mapping[str, Sender], row: dict[str, Any]) -> bool:
    """Make one attempt at one alert row; record it; return True when it was delivered."""
    sender = senders.get(channel.label) or senders[channel.kind]
    payload = json.loads(row["message"])
    now = utcnow()
    store.con.execute(
        "UPDATE alerts SET attempts = attempts + 1, first_sent = coalesce(first_sent, ?), last_sent = ?, "
        "result = 'sending' WHERE id = ?",
        [now, now, row["id"]],
    )
    try:
        result = sender(channel, payload)
    except Exception as error:  # any failure is data on the row; retried later in the run or next run
        message = (
            f"failed: {type(error).__name__}: {error}" if not isinstance(error, DeliveryError) else f"failed: {error}"
        )
        store.con.execute("UPDATE alerts SET result = ? WHERE id = ?", [message[:MAX_RESULT_CHARS], row["id"]])
        log.warning("alert %s via %s %s", row["id"], channel.label, message)
        return False
    store.con.execute(
        "UPDATE alerts SET delivered = TRUE, result = ? WHERE id = ?",
        [f"delivered: {result}"[:MAX_RESULT_CHARS], row["id"]],
    )
    return True
