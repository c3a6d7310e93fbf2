# Voice: every command a developer or CI needs. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/voice_test
export FLASK_APP := voice

# Links printed by `make run` (invites, sign-in) point at the port actually served.
run demo invite: export VOICE_BASE_URL ?= http://127.0.0.1:$(PORT)

.DEFAULT_GOAL := help
.PHONY: train-detector help invite run test test-sqlite test-postgres lint typecheck db demo serve bench clean i18n-extract i18n-update i18n-compile i18n-check i18n-export i18n-import lock upgrade

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[1m%-16s\033[0m %s\n", $$1, $$2}'

# Installs come only from the hashed lock (requirements/lock.txt, made by uv; docs/adr/0011).
# uv itself is installed by pip from requirements/uv.txt, also pinned by hash.
$(BIN)/.installed: requirements/lock.txt requirements/uv.txt pyproject.toml
	@$(PYTHON) scripts/python_version.py
	@$(PYTHON) scripts/lock.py check
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@PIP_CONFIG_FILE=/dev/null $(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/uv.txt
	$(BIN)/uv pip sync --quiet --python $(BIN)/python --require-hashes requirements/lock.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation -e .
	@touch $@

venv: $(BIN)/.installed ## Create .venv and install Voice with its dev tools, from the hashed lock

UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal \
	--python-version $(shell cat .python-version) --no-emit-package voice --quiet -o requirements/lock.txt

lock: ## Re-make requirements/lock.txt from pyproject.toml's ranges (keeps pinned versions where they still fit)
	@test -x $(BIN)/uv || { $(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/uv.txt; }
	$(UV_COMPILE)
	@$(PYTHON) scripts/lock.py stamp
	@echo "requirements/lock.txt updated: review the diff, run make test, commit it."

upgrade: ## Move every package to the newest version pyproject.toml allows, then run the whole suite
	@test -x $(BIN)/uv || { $(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/uv.txt; }
	$(UV_COMPILE) --upgrade
	@$(PYTHON) scripts/lock.py stamp
	@git --no-pager diff --stat requirements/lock.txt 2>/dev/null || true
	$(MAKE) --no-print-directory test

db: venv i18n-compile ## Migrate the database named by VOICE_DATABASE_URL (SQLite in instance/ by default)
	$(BIN)/flask --app voice db upgrade

demo: db ## Load the fictional demo data and print sign-in details and invite links
	$(BIN)/flask --app voice demo --if-empty

invite: db ## A fresh single-use invite link for one child: make invite CHILD=C-1001 (links use PORT)
	@test -n "$(CHILD)" || { echo "Say which child: make invite CHILD=C-1001"; exit 2; }
	$(BIN)/flask --app voice invite $(CHILD)

run: demo ## Set up everything, then serve on http://127.0.0.1:$(PORT)
	@echo "Voice is starting on http://127.0.0.1:$(PORT)  (Ctrl+C to stop)"
	$(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 2 --logger-class voice.gunicorn_logging.RedactingLogger --access-logfile - --access-logformat '%(h)s "%(m)s %(U)s" %(s)s %(M)sms' 'voice.wsgi:app'

test: venv i18n-compile browser-deps ## Set up and run the whole suite (SQLite with the browser suite, then PostgreSQL when it answers)
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-sqlite
	@if $(BIN)/python scripts/ensure_postgres_db.py "$(PG_URL)"; then \
		$(MAKE) --no-print-directory test-postgres; \
	else \
		echo "!! PostgreSQL is not answering on 127.0.0.1:5432: the PostgreSQL half of the suite was NOT run." ; \
		if [ -n "$$CI" ]; then exit 1; fi; \
	fi

test-sqlite: venv ## Run the suite on SQLite
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: venv ## Run the suite on PostgreSQL (PG_URL)
	VOICE_TEST_DATABASE_URL="$(PG_URL)" $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: venv ## ruff, the import contracts in pyproject.toml (docs/ARCHITECTURE.md), and mypy
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

train-detector: venv ## Retrain the concern classifier from tests/data/safeguarding/ and report leave-one-source-out figures
	$(BIN)/python -m scripts.train_detector

typecheck: venv ## mypy
	$(BIN)/mypy

.PHONY: browser-deps test-browser

browser-deps: ## Check for Chromium; install axe-core, vnu-jar and lighthouse into node_modules/ (npm ci)
	@if [ -x /usr/bin/chromium ] || command -v chromium >/dev/null 2>&1; then :; else \
		echo ""; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		echo "!!  Chromium is not installed: the browser tests (tests/browser) will be SKIPPED."; \
		echo "!!  Install it: apt-get install -y chromium fonts-noto-core fonts-lohit-beng-bengali"; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		echo ""; \
		if [ -n "$$CI" ]; then echo "CI is set: a missing browser is a failure."; exit 1; fi; \
	fi
	@if command -v npm >/dev/null 2>&1 && command -v java >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory node_modules/.installed; \
	else \
		echo "!!  npm or java is missing: axe-core and the Nu HTML Checker are not installed; the browser tests will be SKIPPED."; \
		if [ -n "$$CI" ]; then exit 1; fi; \
	fi

# --ignore-scripts: vnu-jar's install script would download a Java runtime; the machine's Java is used.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

test-browser: venv i18n-compile browser-deps ## Only the browser suite: Chromium journeys, axe, Nu checker, page weight (artifacts/)
	VOICE_BROWSER_TESTS=1 $(BIN)/python -m pytest -m browser tests/browser $(PYTEST_ARGS)

bench: venv browser-deps ## Benchmarks: throughput vs bare Flask, inbox at scale, 200 children, Lighthouse (bench/README.md)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

i18n-extract: venv ## Extract UI and content strings into translations/messages.pot and content.pot
	$(BIN)/python -m scripts.i18n_catalogues extract

i18n-update: i18n-extract ## Bring every locale's .po in step with the .pot files (creates new locales)
	$(BIN)/python -m scripts.i18n_catalogues update

i18n-compile: venv ## Compile catalogues (.po -> .mo), only those that changed
	@$(BIN)/python -m scripts.i18n_catalogues compile

i18n-export: venv ## Write one language's catalogues as PO files for Weblate or Crowdin: make i18n-export LANG=ps
	@test -n "$(LANG)" || { echo "Say which language: make i18n-export LANG=ps"; exit 2; }
	$(BIN)/python -m scripts.i18n_transfer export "$(LANG)"

i18n-import: venv ## Take a translated PO back, refusing unsafe strings with line and reason: make i18n-import FILE=voice-ps-content.po
	@test -n "$(FILE)" || { echo "Say which file: make i18n-import FILE=i18n-export/voice-ps-content.po"; exit 2; }
	$(BIN)/python -m scripts.i18n_transfer import "$(FILE)"

i18n-check: venv ## Check catalogues: .pot current, placeholders, plurals, review status, completeness
	$(BIN)/python -m scripts.i18n_check

clean: ## Remove the venv and local database
	rm -rf $(VENV) instance .pytest_cache
