import os
import socket
from pathlib import Path

import pytest

from accord.config import check_ready, load_settings, prefect_home_problem, settings_from_dict
from accord.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_project_config_loads_and_uses_the_bundled_sample():
    settings = load_settings(ROOT / "config.yaml")
    assert settings.outlets[0].snapshot == ROOT / "data" / "sample" / "fakes-sample.jsonl"
    assert settings.outlets[0].snapshot.is_file()
    assert settings.database == ROOT / "var" / "accord.duckdb"


def test_partial_config_is_filled_from_packaged_defaults(tmp_path):
    settings = load_settings(write(tmp_path, "database: db/x.duckdb\n"))
    assert settings.database == tmp_path / "db" / "x.duckdb"
    assert settings.report == tmp_path / "var" / "report.html"
    assert settings.dedup.num_perm == 128
    assert settings.published_path == tmp_path / "db" / "x-published.duckdb"


def test_missing_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="not found: .*nope.yaml"):
        load_settings(tmp_path / "nope.yaml")


def test_unknown_key_is_named(tmp_path):
    with pytest.raises(ConfigError, match=r"fetch\.timout: unknown key"):
        load_settings(write(tmp_path, "fetch:\n  timout: 3\n"))


def test_bad_value_names_key_and_expectation(tmp_path):
    with pytest.raises(ConfigError, match=r"dedup\.threshold: Input should be less than or equal to 1"):
        load_settings(write(tmp_path, "dedup:\n  threshold: 1.5\n"))


def test_outlet_without_a_source_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="outlet 'x' needs at least one of feeds, sitemaps or snapshot"):
        load_settings(write(tmp_path, "outlets:\n  - name: x\n"))


def test_bad_yaml_is_reported(tmp_path):
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_settings(write(tmp_path, "outlets: [\n"))


def test_unset_secret_is_refused_at_load_and_a_set_one_resolves(tmp_path, monkeypatch):
    data = {"alerts": {"channels": [{"kind": "webhook", "url_env": "ACCORD_TEST_HOOK"}]}}
    monkeypatch.delenv("ACCORD_TEST_HOOK", raising=False)
    expected = r"^cfg: alerts\.channels\.0\.url_env: environment variable ACCORD_TEST_HOOK is not set"
    with pytest.raises(ConfigError, match=expected):
        settings_from_dict(data, tmp_path, source="cfg")
    monkeypatch.setenv("ACCORD_TEST_HOOK", "json://127.0.0.1:9/hook")
    channel = settings_from_dict(data, tmp_path).alerts.channels[0]
    assert channel.resolve_url() == "json://127.0.0.1:9/hook"


def test_bad_cron_is_refused(tmp_path):
    with pytest.raises(ConfigError, match=r"schedule\.cron"):
        load_settings(write(tmp_path, "schedule:\n  cron: '5 *'\n"))


def test_opml_outlines_become_outlets(tmp_path):
    from tests.conftest import DATA

    opml = DATA / "rsparser-feeds" / "Subs.opml"
    text = f"outlets:\n  - name: mine\n    feeds: [http://a.example/f]\nopml: [{opml}]\n"
    settings = load_settings(write(tmp_path, text))
    names = [o.name for o in settings.outlets]
    assert names[0] == "mine" and len(names) > 5
    assert all(o.feeds for o in settings.outlets)


def test_broken_opml_is_a_config_error(tmp_path):
    bad = tmp_path / "bad.opml"
    bad.write_text("<opml><body><outline", encoding="utf-8")
    with pytest.raises(ConfigError, match="opml: .*bad.opml"):
        load_settings(write(tmp_path, f"opml: [{bad}]\n"))


# --- issue 20: the whole configuration is checked at load, one line per problem naming file and key ---


def problems(error: pytest.ExceptionInfo) -> list[str]:
    return str(error.value).splitlines()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cluster:\n  windw_days: 3\n", "cluster.windw_days: unknown key (did you mean window_days?)"),
        ("agreement:\n  contsted_at: 0.2\n", "agreement.contsted_at: unknown key (did you mean contested_at?)"),
        ("agreement:\n  reliability: {alph: 0.2}\n", "agreement.reliability.alph: unknown key"),
        ("cluster:\n  bias: high\n", "cluster.bias: expected float, got 'high'"),
        ("agreement:\n  tie_break: first\n", "agreement: tie_break must be 'latest' or 'largest'"),
        ("agreement:\n  reliability: {alpha: 2}\n", "agreement.reliability: alpha must be in (0.0, 1.0)"),
        ("agreement: [1]\n", "agreement: Input should be a valid dictionary"),
        ("schedule:\n  cron: '99 99 99 99 99'\n", "schedule.cron: '99 99 99 99 99' is not a valid cron expression"),
        ("serve:\n  port: 70000\n", "serve.port: Input should be less than or equal to 65535"),
    ],
)
def test_every_section_is_checked_at_load(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    lines = problems(error)
    assert len(lines) == 1 and lines[0].startswith(f"{path}: {expected}"), lines


def test_several_problems_give_one_line_each(tmp_path):
    path = write(tmp_path, "cluster:\n  windw_days: 3\nagreement:\n  foo: 1\n")
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    assert [line.split(": ")[1] for line in problems(error)] == ["cluster.windw_days", "agreement.foo"]


def test_valid_tuning_keys_cron_and_serve_load(tmp_path):
    text = (
        "cluster:\n  window_days: 30\n  neighbours: 5\nagreement:\n  contested_at: 0.3\n"
        "  reliability: {alpha: 0.3}\nschedule:\n  cron: '*/30 * * * *'\nserve:\n  port: 4300\n"
    )
    settings = load_settings(write(tmp_path, text))
    assert settings.cluster.model_extra == {"window_days": 30, "neighbours": 5}
    assert settings.schedule.cron == "*/30 * * * *" and settings.serve.port == 4300
    assert settings.serve.host == "127.0.0.1"


def test_paths_that_are_directories_or_under_a_file_are_refused_at_load(tmp_path):
    (tmp_path / "db").mkdir()
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    path = write(tmp_path, "database: db\nreport: plain/report.html\n")
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    lines = problems(error)
    assert f"{path}: database: {tmp_path / 'db'} is a directory, expected a file path" in lines
    under = tmp_path / "plain"
    assert f"{path}: report: cannot create {under / 'report.html'}: {under} is not a directory" in lines


def test_config_that_is_not_utf8_names_file_and_line(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_bytes(b"database: x.duckdb\nreport: caf\xe9.html\n")
    with pytest.raises(ConfigError, match=rf"^{path}:2: not UTF-8 text \(byte 0xe9\)"):
        load_settings(path)


def test_unreadable_config_is_a_clear_error():
    # /proc/self/mem is a regular file whose read fails (EIO) even for root
    with pytest.raises(ConfigError, match=r"^cannot read configuration file /proc/self/mem: Input/output error"):
        load_settings("/proc/self/mem")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a mode-000 file")
def test_config_without_read_permission_is_a_clear_error(tmp_path):
    path = write(tmp_path, "database: x.duckdb\n")
    path.chmod(0)
    with pytest.raises(ConfigError, match="cannot read configuration file .*Permission denied"):
        load_settings(path)


def test_config_path_that_is_a_directory(tmp_path):
    with pytest.raises(ConfigError, match=f"configuration file {tmp_path} is a directory"):
        load_settings(tmp_path)


def test_yaml_error_names_the_line(tmp_path):
    path = write(tmp_path, "database: x\noutlets: [\n")
    with pytest.raises(ConfigError, match=rf"^{path}:3: not valid YAML"):
        load_settings(path)


def _ready_settings(tmp_path, extra: str = ""):
    from tests.conftest import SAMPLE

    text = f"database: db/a.duckdb\nreport: out/r.html\noutlets:\n  - name: s\n    snapshot: {SAMPLE}\n{extra}"
    return load_settings(write(tmp_path, text))


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_good_config_is_ready(tmp_path):
    check_ready(_ready_settings(tmp_path), "cfg", "run")


def test_no_outlets_is_refused_for_run(tmp_path):
    settings = load_settings(write(tmp_path, "outlets: []\n"))
    with pytest.raises(ConfigError, match=r"^cfg: outlets: no outlets configured, so there is nothing to collect"):
        check_ready(settings, "cfg", "run")


def test_unwritable_path_is_refused_before_work(tmp_path):
    settings = _ready_settings(tmp_path, "published: /proc/version\n")  # not writable, even for root
    with pytest.raises(ConfigError, match=r"^cfg: published: /proc/version is not writable \("):
        check_ready(settings, "cfg", "run")


def test_unreachable_dask_scheduler_and_redis_are_refused_quickly(tmp_path):
    import time

    dask, redis = _closed_port(), _closed_port()
    extra = (
        f"runner:\n  kind: dask\n  address: tcp://127.0.0.1:{dask}\n"
        f"dedup:\n  storage:\n    type: redis\n    port: {redis}\n"
    )
    settings = _ready_settings(tmp_path, extra)
    started = time.monotonic()
    with pytest.raises(ConfigError) as error:
        check_ready(settings, "cfg", "run", timeout=2)
    assert time.monotonic() - started < 10
    lines = problems(error)
    dask_line = f"cfg: runner.address: Dask scheduler tcp://127.0.0.1:{dask}: cannot connect to 127.0.0.1:{dask}"
    assert lines[0].startswith(dask_line), lines
    assert lines[1].startswith(f"cfg: dedup.storage: Redis at 127.0.0.1:{redis} does not answer"), lines
    assert not settings.database.exists()


def test_a_listening_dask_scheduler_passes_the_check(tmp_path):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        check_ready(
            _ready_settings(tmp_path, f"runner:\n  kind: dask\n  address: tcp://127.0.0.1:{port}\n"), "c", "run"
        )


def test_prefect_home_that_cannot_be_created_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("PREFECT_HOME", "/proc/accord-prefect-home")
    assert prefect_home_problem().startswith("PREFECT_HOME: cannot create /proc/accord-prefect-home")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "file"))
    assert prefect_home_problem() == f"PREFECT_HOME: {tmp_path / 'file'} is not a directory"
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "new" / "home"))
    assert prefect_home_problem() is None and (tmp_path / "new" / "home").is_dir()  # a missing one is created
