# Two commands a newcomer needs: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

NODE_STAMP := node_modules/.installed

.PHONY: install node-tools serve build check test clean

install: $(STAMP) node-tools

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.txt
	touch $(STAMP)

# The W3C HTML checker for the tests, from package-lock.json; optional where npm is missing.
node-tools:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(NODE_STAMP); \
	else echo "npm not found: the HTML validity test will be skipped (apt-get install npm)"; fi

$(NODE_STAMP): package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $(NODE_STAMP)

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
