"""Alerts: rules, the per-story state machine, and outbox delivery to a real local webhook receiver."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from accord.alerts import DeliveryCounts, deliver_pending, plan_alerts
from accord.config import AlertsConfig, ChannelConfig
from accord.errors import ConfigError
from accord.report import create_views
from accord.store import Store
from tests.publish_data import add_articles, add_scores

SRC = Path(__file__).resolve().parents[1] / "src"
TESTS = Path(__file__).resolve().parent
SECRET = "T0KEN-s3cret"


class Receiver:
    """A webhook receiver on 127.0.0.1 that records every POST; it can go down and come back on its port."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.status = 200
        self.port = 0
        self._server: ThreadingHTTPServer | None = None
        self.start()

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if receiver.status == 200:
                    receiver.received.append(json.loads(body))
                    receiver.headers.append({k.lower(): v for k, v in self.headers.items()})
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()
        self._server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook/{SECRET}"

    def events(self) -> list[tuple[str, str]]:
        return [(p["story_id"], p["state"]) for p in self.received]


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    if server._server is not None:
        server.stop()


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "accord.duckdb") as s:
        add_articles(s)
        yield s


def config_for(receiver: Receiver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **rules: Any) -> AlertsConfig:
    monkeypatch.setenv("ACCORD_TEST_WEBHOOK", receiver.url)
    return AlertsConfig(
        channels=[
            ChannelConfig(kind="webhook", url_env="ACCORD_TEST_WEBHOOK"),
            ChannelConfig(kind="file", path=tmp_path / "alerts" / "alerts.jsonl"),
        ],
        **rules,
    )


def cycle(store: Store, config: AlertsConfig, scores: dict[str, tuple[Any, ...]]) -> tuple[list[int], DeliveryCounts]:
    """One run's alert step: score, plan, deliver."""
    run_id = add_scores(store, scores)
    planned = plan_alerts(store, run_id, config)
    return planned, deliver_pending(store, config)


def file_events(path: Path) -> list[tuple[str, str]]:
    return [(p["story_id"], p["state"]) for p in map(json.loads, path.read_text().splitlines())]


IDLIB, ALEPPO = "s-idlib", "s-aleppo"


def test_each_change_of_state_reaches_the_webhook_exactly_once(store, receiver, tmp_path, monkeypatch):
    config = config_for(receiver, tmp_path, monkeypatch)
    # run 1: Aleppo crosses the rules; Idlib is below them
    planned, counts = cycle(
        store,
        config,
        {IDLIB: ("corroborated", 0.30, 3, 4, 60.0, "russia"), ALEPPO: ("contested", 0.55, 2, 2, 12.0, None)},
    )
    assert len(planned) == 2 and counts == DeliveryCounts(sent=2)
    assert receiver.events() == [(ALEPPO, "divergent")]

    # run 2: Idlib crosses while the receiver is down: recorded as failed, the file channel still gets it
    receiver.stop()
    planned, counts = cycle(
        store, config, {IDLIB: ("contested", 0.62, 4, 5, 60.0, "russia"), ALEPPO: ("contested", 0.58, 2, 2, 12.0, None)}
    )
    assert len(planned) == 2 and counts == DeliveryCounts(sent=1, failed=1)
    failed = store.query("SELECT * FROM alerts WHERE NOT delivered")
    assert len(failed) == 1 and failed[0]["attempts"] == 1 and failed[0]["result"].startswith("failed: ConnectError")
    assert SECRET not in failed[0]["result"]

    # run 3: the receiver is back; the failed alert is retried and Idlib's escalation sent
    receiver.start()
    planned, counts = cycle(
        store, config, {IDLIB: ("divergent", 0.86, 4, 5, 70.0, "russia"), ALEPPO: ("contested", 0.57, 2, 2, 12.0, None)}
    )
    assert len(planned) == 2 and counts == DeliveryCounts(sent=3)
    # run 4: Aleppo resolves; run 5 changes nothing
    cycle(
        store,
        config,
        {IDLIB: ("divergent", 0.88, 4, 5, 70.0, "russia"), ALEPPO: ("corroborated", 0.20, 2, 2, 12.0, None)},
    )
    planned, counts = cycle(
        store,
        config,
        {IDLIB: ("divergent", 0.88, 4, 5, 70.0, "russia"), ALEPPO: ("corroborated", 0.20, 2, 2, 12.0, None)},
    )
    assert planned == [] and counts == DeliveryCounts()

    expected = [(ALEPPO, "divergent"), (IDLIB, "divergent"), (IDLIB, "escalated"), (ALEPPO, "resolved")]
    assert receiver.events() == expected
    assert len({p["alert_id"] for p in receiver.received}) == 4
    assert [h["idempotency-key"] for h in receiver.headers] == [str(p["alert_id"]) for p in receiver.received]
    assert file_events(tmp_path / "alerts" / "alerts.jsonl") == expected
    rows = store.query(
        "SELECT story_id, state, attempts, delivered, first_sent < last_sent AS retried FROM alerts "
        "WHERE channel LIKE 'webhook%' ORDER BY id"
    )
    assert [(r["state"], r["attempts"], r["delivered"]) for r in rows] == [
        ("divergent", 1, True),
        ("divergent", 2, True),
        ("escalated", 1, True),
        ("resolved", 1, True),
    ]
    assert rows[1]["retried"]
    create_views(store.con)
    log = store.query(
        "SELECT state, channel, attempts, result FROM alert_log WHERE story_id = ? ORDER BY alert_id", [IDLIB]
    )
    assert [(r["state"], r["attempts"]) for r in log if r["channel"].startswith("webhook")] == [
        ("divergent", 2),
        ("escalated", 1),
    ]
    payload = receiver.received[1]
    assert payload["title"] == "Air strikes hit training camp in Idlib" and payload["previous_state"] is None
    assert {a["outlet"] for a in payload["accounts"]} == {"Orient", "Reuters", "AFP", "SOHR", "SANA"}
    assert (
        receiver.received[2]["previous_state"] == "divergent"
        and "grade contested -> divergent" in receiver.received[2]["rule"]
    )


_CRASH_AFTER_PLAN = textwrap.dedent(
    """
    import os, sys
    sys.path[:0] = [sys.argv[2], sys.argv[3]]
    from accord.alerts import plan_alerts
    from accord.config import AlertsConfig, ChannelConfig
    from accord.store import Store
    from publish_data import add_scores
    store = Store(sys.argv[1])
    config = AlertsConfig(channels=[ChannelConfig(kind="webhook", url_env="ACCORD_TEST_WEBHOOK"),
                                    ChannelConfig(kind="file", path=sys.argv[4])])
    run_id = add_scores(store, {"s-idlib": ("divergent", 0.9, 4, 5, 70.0, "russia")})
    print(len(plan_alerts(store, run_id, config)), flush=True)
    os._exit(1)  # die before delivering, without closing the database
    """
)

_CRASH_AFTER_SEND = textwrap.dedent(
    """
    import os, sys
    sys.path[:0] = [sys.argv[2], sys.argv[3]]
    from accord.alerts import DEFAULT_SENDERS, deliver_pending
    from accord.config import AlertsConfig, ChannelConfig
    from accord.store import Store
    store = Store(sys.argv[1])
    config = AlertsConfig(channels=[ChannelConfig(kind="webhook", url_env="ACCORD_TEST_WEBHOOK"),
                                    ChannelConfig(kind="file", path=sys.argv[4])])
    def send_then_die(channel, payload):
        result = DEFAULT_SENDERS[channel.kind](channel, payload)
        if channel.kind == sys.argv[5]:
            os._exit(1)  # die after the send, before it is recorded as delivered
        return result
    deliver_pending(store, config, senders={"webhook": send_then_die, "file": send_then_die})
    """
)


def _crash(
    script: str, database: Path, jsonl: Path, receiver: Receiver, *args: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script, str(database), str(SRC), str(TESTS), str(jsonl), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={"ACCORD_TEST_WEBHOOK": receiver.url, "PATH": "/usr/bin"},
    )


def test_a_crash_between_plan_and_deliver_loses_nothing(tmp_path, receiver, monkeypatch):
    database, jsonl = tmp_path / "accord.duckdb", tmp_path / "alerts.jsonl"
    with Store(database) as store:
        add_articles(store)
    died = _crash(_CRASH_AFTER_PLAN, database, jsonl, receiver)
    assert died.returncode == 1 and died.stdout.strip() == "2", died.stderr
    assert receiver.received == [] and not jsonl.exists()

    config = AlertsConfig(
        channels=[ChannelConfig(kind="webhook", url_env="ACCORD_TEST_WEBHOOK"), ChannelConfig(kind="file", path=jsonl)]
    )
    monkeypatch.setenv("ACCORD_TEST_WEBHOOK", receiver.url)
    with Store(database) as store:  # the next run: the planned alerts survived the crash
        run_id = store.scalar("SELECT max(run_id) FROM story_scores")
        assert plan_alerts(store, run_id, config) == [], "re-planning the same run must not plan again"
        assert deliver_pending(store, config) == DeliveryCounts(sent=2)
        assert deliver_pending(store, config) == DeliveryCounts()
    assert receiver.events() == [(IDLIB, "divergent")]
    assert file_events(jsonl) == [(IDLIB, "divergent")]


@pytest.mark.parametrize("crashing_channel", ["webhook", "file"])
def test_a_crash_between_send_and_mark_resends_the_same_alert_id(tmp_path, receiver, monkeypatch, crashing_channel):
    database, jsonl = tmp_path / "accord.duckdb", tmp_path / "alerts.jsonl"
    config = AlertsConfig(
        channels=[ChannelConfig(kind="webhook", url_env="ACCORD_TEST_WEBHOOK"), ChannelConfig(kind="file", path=jsonl)]
    )
    monkeypatch.setenv("ACCORD_TEST_WEBHOOK", receiver.url)
    with Store(database) as store:
        add_articles(store)
        run_id = add_scores(store, {IDLIB: ("divergent", 0.9, 4, 5, 70.0, "russia")})
        assert len(plan_alerts(store, run_id, config)) == 2
    died = _crash(_CRASH_AFTER_SEND, database, jsonl, receiver, crashing_channel)
    assert died.returncode == 1, died.stderr
    with Store(database) as store:
        crashed = store.query(
            "SELECT attempts, delivered, result FROM alerts WHERE channel LIKE ?", [f"{crashing_channel}%"]
        )
        assert crashed == [{"attempts": 1, "delivered": False, "result": "sending"}]
        assert deliver_pending(store, config).sent == (2 if crashing_channel == "webhook" else 1)
        assert deliver_pending(store, config) == DeliveryCounts()
        assert store.scalar("SELECT count(*) FROM alerts WHERE delivered") == 2
        if crashing_channel == "file":
            assert store.scalar("SELECT result FROM alerts WHERE channel LIKE 'file%'") == "delivered: already in file"
    ids = [p["alert_id"] for p in receiver.received]
    if crashing_channel == "webhook":  # sent twice with one idempotency key: a receiver keeping ids drops the second
        assert len(ids) == 2 and len(set(ids)) == 1 and receiver.received[0] == receiver.received[1]
    else:
        assert len(ids) == 1
    assert file_events(jsonl) == [(IDLIB, "divergent")], "the file channel must not hold the alert twice"


def test_the_webhook_url_comes_from_the_environment(store, receiver, tmp_path, monkeypatch):
    config = AlertsConfig(channels=[ChannelConfig(kind="webhook", url_env="ACCORD_TEST_WEBHOOK")])
    monkeypatch.delenv("ACCORD_TEST_WEBHOOK", raising=False)
    _, counts = cycle(store, config, {IDLIB: ("divergent", 0.9, 4, 5, 70.0, "russia")})
    assert counts == DeliveryCounts(failed=1)
    result = store.scalar("SELECT result FROM alerts")
    assert "ACCORD_TEST_WEBHOOK is not set" in result
    receiver.status = 503  # a receiver that answers with an error: recorded by status, URL and token not leaked
    monkeypatch.setenv("ACCORD_TEST_WEBHOOK", receiver.url)
    assert deliver_pending(store, config) == DeliveryCounts(failed=1)
    assert store.scalar("SELECT result FROM alerts") == "failed: HTTP 503"
    receiver.status = 200
    assert deliver_pending(store, config) == DeliveryCounts(sent=1)
    assert store.query("SELECT attempts, delivered, result FROM alerts") == [
        {"attempts": 3, "delivered": True, "result": "delivered: HTTP 200"}
    ]
    assert receiver.events() == [(IDLIB, "divergent")]
    assert not any(SECRET in (r["result"] or "") for r in store.query("SELECT result FROM alerts"))


def test_failed_deliveries_stop_at_max_attempts_and_are_kept(store, receiver, tmp_path, monkeypatch):
    config = config_for(receiver, tmp_path, monkeypatch, max_attempts=2)
    receiver.stop()
    for _ in range(3):
        _, counts = cycle(store, config, {IDLIB: ("divergent", 0.9, 4, 5, 70.0, "russia")})
    assert counts == DeliveryCounts(exhausted=1)
    row = store.query("SELECT attempts, delivered FROM alerts WHERE channel LIKE 'webhook%'")
    assert row == [{"attempts": 2, "delivered": False}]


def test_rules_min_voices_and_actors_of_interest(store, receiver, tmp_path, monkeypatch):
    config = config_for(receiver, tmp_path, monkeypatch, min_voices=3, actors=["russia"])
    scores = {
        IDLIB: ("divergent", 0.9, 4, 5, 70.0, "russia"),  # russia named, 4 voices: alert
        ALEPPO: ("divergent", 0.9, 2, 2, 12.0, None),  # 2 voices only
        "s-homs": ("divergent", 0.9, 3, 3, 5.0, None),
    }  # no actor of interest named
    cycle(store, config, scores)
    assert receiver.events() == [(IDLIB, "divergent")]
    assert "actors russia" in receiver.received[0]["rule"]


def test_grade_must_be_one_of_the_configured_grades(store, receiver, tmp_path, monkeypatch):
    config = config_for(receiver, tmp_path, monkeypatch, grades=["divergent"])
    cycle(
        store, config, {IDLIB: ("divergent", 0.7, 4, 5, 70.0, "russia"), ALEPPO: ("contested", 0.9, 2, 2, 12.0, None)}
    )
    assert receiver.events() == [(IDLIB, "divergent")]


def test_a_story_hovering_at_the_threshold_alerts_once(store, receiver, tmp_path, monkeypatch):
    config = config_for(receiver, tmp_path, monkeypatch)
    for divergence in (0.51, 0.49, 0.52, 0.48, 0.50, 0.60, 0.69):
        cycle(store, config, {ALEPPO: ("contested", divergence, 2, 2, 12.0, None)})
    assert receiver.events() == [(ALEPPO, "divergent")]
    cycle(store, config, {ALEPPO: ("contested", 0.71, 2, 2, 12.0, None)})  # +0.2 over the last alert's 0.51
    cycle(store, config, {ALEPPO: ("contested", 0.40, 2, 2, 12.0, None)})
    cycle(store, config, {ALEPPO: ("contested", 0.55, 2, 2, 12.0, None)})  # crosses again after resolving
    assert receiver.events() == [
        (ALEPPO, "divergent"),
        (ALEPPO, "escalated"),
        (ALEPPO, "resolved"),
        (ALEPPO, "divergent"),
    ]


def test_only_stories_in_the_latest_runs_scores_count(store, receiver, tmp_path, monkeypatch):
    config = config_for(receiver, tmp_path, monkeypatch)
    cycle(store, config, {IDLIB: ("divergent", 0.9, 4, 5, 70.0, "russia")})
    # a later run that did not score Idlib (e.g. scoring failed for it) neither resolves nor re-alerts it
    cycle(store, config, {ALEPPO: ("corroborated", 0.1, 2, 2, 12.0, None)})
    run = store.start_run("empty")  # a run with no scores at all changes nothing
    assert plan_alerts(store, run.id, config) == []
    assert receiver.events() == [(IDLIB, "divergent")]
    assert store.query("SELECT story_id, state FROM alert_state") == [{"story_id": IDLIB, "state": "divergent"}]


def test_an_apprise_json_channel(store, receiver, tmp_path, monkeypatch):
    monkeypatch.setenv("ACCORD_TEST_APPRISE", f"json://127.0.0.1:{receiver.port}/hook")
    config = AlertsConfig(channels=[ChannelConfig(kind="apprise", url_env="ACCORD_TEST_APPRISE")])
    _, counts = cycle(store, config, {IDLIB: ("divergent", 0.9, 4, 5, 70.0, "russia")})
    assert counts == DeliveryCounts(sent=1)
    assert len(receiver.received) == 1
    body = receiver.received[0]["message"]
    assert "Divergent (new): Air strikes hit training camp in Idlib" in body
    alert_id = store.scalar("SELECT id FROM alerts")
    assert body.rstrip().endswith(f"alert id: {alert_id}")


def test_alert_rows_and_state_are_written_together(store, receiver, tmp_path, monkeypatch):
    config = config_for(receiver, tmp_path, monkeypatch)
    run_id = add_scores(store, {IDLIB: ("divergent", 0.9, 4, 5, 70.0, "russia")})
    ids = plan_alerts(store, run_id, config)
    rows = store.query("SELECT id, state, channel, delivered, attempts, message FROM alerts ORDER BY id")
    assert [r["id"] for r in rows] == ids
    assert [(r["state"], r["delivered"], r["attempts"]) for r in rows] == [("divergent", False, 0)] * 2
    assert [json.loads(r["message"])["alert_id"] for r in rows] == ids
    assert Counter(r["channel"] for r in rows) == Counter(c.label for c in config.channels)
    state = store.query("SELECT state, grade, divergence, run_id FROM alert_state WHERE story_id = ?", [IDLIB])
    assert state == [{"state": "divergent", "grade": "divergent", "divergence": 0.9, "run_id": run_id}]


def test_channels_sharing_a_label_are_refused(store, tmp_path):
    same = ChannelConfig(kind="webhook", url_env="A")
    config = AlertsConfig(channels=[same, same])
    run_id = add_scores(store, {IDLIB: ("divergent", 0.9, 4, 5, 70.0, "russia")})
    with pytest.raises(ConfigError, match="give each a 'name'"):
        plan_alerts(store, run_id, config)
    assert store.scalar("SELECT count(*) FROM alerts") == 0 and store.scalar("SELECT count(*) FROM alert_state") == 0


def test_an_alert_says_what_diverges_and_quotes_each_voice(store, receiver, tmp_path, monkeypatch):
    monkeypatch.setenv("ACCORD_TEST_APPRISE", f"json://127.0.0.1:{receiver.port}/hook")
    config = AlertsConfig(channels=[ChannelConfig(kind="apprise", url_env="ACCORD_TEST_APPRISE")])
    run_id = add_scores(store, {IDLIB: ("divergent", 0.9, 4, 5, 70.0, "russia")})
    evidence = [
        {
            "voice": "v1",
            "outlets": ["outlet-a"],
            "article_id": "a",
            "url": "https://a.example/1",
            "published": None,
            "sentence": "Air strikes killed 70 people at the camp.",
            "value": 70.0,
        },
        {
            "voice": "v2",
            "outlets": ["outlet-b"],
            "article_id": "b",
            "url": "https://b.example/2",
            "published": None,
            "sentence": "Seven people died in the strike.",
            "value": 7.0,
        },
    ]
    store.insert_rows(
        "story_verdicts",
        [
            {
                "run_id": run_id,
                "story_id": IDLIB,
                "question": "killed",
                "verdict": "divergent",
                "voices": 2,
                "summary": "Independent voices disagree on the death toll: 7 against 70.",
                "evidence": json.dumps(evidence),
            }
        ],
    )
    plan_alerts(store, run_id, config)
    deliver_pending(store, config)
    body = receiver.received[0]["message"]
    assert body.startswith("Divergent death toll (new): Air strikes hit training camp in Idlib.")
    assert 'outlet-b: 7: "Seven people died in the strike." https://b.example/2' in body
    assert 'outlet-a: 70: "Air strikes killed 70 people at the camp."' in body
