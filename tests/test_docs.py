"""The README is the front door: it must name every command and every configuration key."""

import re

from accord.cli import command_names
from accord.config import Settings
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_names_the_two_setup_commands():
    assert "make run" in README and "make test" in README
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^run: install", makefile, re.M) and re.search(r"^test: install", makefile, re.M)
    assert re.search(r"^test-all: install", makefile, re.M)
    assert re.search(r"^make test-all$", (ROOT / ".ci" / "run").read_text(encoding="utf-8"), re.M)  # CI: everything


def test_readme_names_every_command():
    for name in command_names():
        assert f"accord {name}" in README, f"README does not document `accord {name}`"


def test_readme_names_every_config_key():
    for key, field in Settings.model_fields.items():
        assert f"`{key}`" in README, f"README does not document the config key {key}"
        annotation = field.annotation
        sub_fields = getattr(annotation, "model_fields", None)
        if sub_fields and key not in ("cluster",):
            for sub in sub_fields:
                if sub == "channels":
                    continue
                assert f"`{sub}`" in README, f"README does not document {key}.{sub}"
