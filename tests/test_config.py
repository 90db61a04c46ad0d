from pathlib import Path

import pytest

from accord.config import load_settings, settings_from_dict
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


def test_secret_comes_from_environment(tmp_path, monkeypatch):
    settings = settings_from_dict(
        {"alerts": {"channels": [{"kind": "webhook", "url_env": "ACCORD_TEST_HOOK"}]}}, tmp_path
    )
    channel = settings.alerts.channels[0]
    with pytest.raises(ConfigError, match="ACCORD_TEST_HOOK is not set"):
        channel.resolve_url()
    monkeypatch.setenv("ACCORD_TEST_HOOK", "json://127.0.0.1:9/hook")
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
