"""What the tests need beyond `make install`: ../shared (a copy or a link), and system packages that are skipped
with their name and an install hint where missing."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import DATA, ROOT, SYSTEM_PACKAGES_HINT, system_binary


def test_a_missing_system_package_skips_naming_it_and_how_to_install_it(monkeypatch):
    import tests.conftest

    monkeypatch.setattr(tests.conftest, "_missing_system", set())  # the run's summary lists real packages only
    with pytest.raises(pytest.skip.Exception) as skipped:
        system_binary("accord-no-such-program")
    assert "MISSING SYSTEM PACKAGE accord-no-such-program" in str(skipped.value)
    assert tests.conftest._missing_system == {"accord-no-such-program"}
    assert "sudo apt-get install chromium redis-server" in str(skipped.value)
    assert (ROOT / ".ci" / "system-deps").is_file() and ".ci/system-deps" in SYSTEM_PACKAGES_HINT


def test_the_ci_script_installs_the_packages_the_hint_names():
    script = (ROOT / ".ci" / "system-deps").read_text(encoding="utf-8")
    assert "PACKAGES=(chromium redis-server)" in script
    assert "sudo apt-get install chromium redis-server" in SYSTEM_PACKAGES_HINT


def test_the_shared_data_is_found():
    assert (DATA / "corpora").is_dir() and (DATA / "fundus-parser-fixtures").is_dir()


def test_without_the_shared_data_the_run_stops_naming_it(tmp_path):
    env = {**os.environ, "ACCORD_SHARED": str(tmp_path / "nowhere")}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_layout.py", "-k", "cycle_finder"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 4, done.stdout[-2000:] + done.stderr[-2000:]
    assert "../shared" in done.stdout + done.stderr and str(tmp_path / "nowhere") in done.stdout + done.stderr
