# Two commands do everything on a fresh Debian machine with Python 3.11:
#   make demo   create .venv, install, run the demo on the bundled sample mailbox
#   make test   create .venv, install with test extras, start test servers, run all tests
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: demo test lint bench install clean

$(BIN)/outreach: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/outreach

demo: install
	$(BIN)/outreach demo

test: install
	scripts/test-deps
	$(BIN)/ruff check outreach tests benchmarks examples
	$(BIN)/pytest

bench: install
	scripts/test-deps --mbsync
	for b in ingest imap_sync relationships lint render suggest report; do $(BIN)/python benchmarks/$$b.py || exit 1; done
	$(BIN)/python benchmarks/daemon_soak.py --duration 60

clean:
	rm -rf $(VENV) build *.egg-info
