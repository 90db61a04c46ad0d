# The commands CI and the README use. `make run` and `make test` install everything first.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
PYTHON ?= python3

.PHONY: install run demo-serve test test-all lint report clean

install: $(STAMP)

# Idempotent: re-runs only when pyproject.toml changes. Torch goes in first as the CPU build on
# this machine's disk (torch==2.13.0); otherwise pip resolves an unpinned torch to CUDA wheels.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	# bytecode for the editable source, as pip writes it for an installed package (where PYTHONDONTWRITEBYTECODE
	# is set, each process would compile accord's modules again: about 0.45 s)
	$(PY) -m compileall -q src flows
	touch $(STAMP)

# The demo: the bundled FA-KES sample plus four outlets collected by feed and page from saved pages (data/demo/)
# that tools/demo_server.py serves on 127.0.0.1:8765 while the pipeline runs (demo.yaml).
run: install
	$(PY) tools/demo_server.py --port 8765 -- $(VENV)/bin/accord run --config demo.yaml

# Serve the demo's pages until Ctrl-C, so the report's links to them open.
demo-serve:
	$(PYTHON) tools/demo_server.py --port 8765

report: install
	$(VENV)/bin/accord report --config config.yaml

# The fast default suite: every test but those marked `slow` (pyproject.toml), aimed at under 10 minutes on 2 cores.
test: install
	$(VENV)/bin/python -m pytest -m "not slow"

# The full matrix, slow tests included (what CI runs: .ci/run).
test-all: install
	$(VENV)/bin/python -m pytest

lint: install
	$(VENV)/bin/ruff check src flows tests bench analysis

clean:
	rm -rf var .pytest_cache
