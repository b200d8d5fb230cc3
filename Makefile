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
	scripts/test-deps
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info
