# Two commands a newcomer needs: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install serve build check test clean

install: $(STAMP)

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.txt
	touch $(STAMP)

serve: install
	$(BIN)/invoke livereload

build: install
	$(BIN)/invoke build

check: install
	$(BIN)/invoke check

test: install
	$(BIN)/python -m pytest

clean:
	$(BIN)/invoke clean 2>/dev/null || rm -rf output .cache
