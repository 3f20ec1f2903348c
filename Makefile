# Headway's only entry points. Each target makes .venv itself, so a fresh clone needs nothing else.
#   make run    set up, migrate the SQLite default, load the demo organisation and serve it
#   make test   install what the tests need and run every suite (SQLite, PostgreSQL, browser)
#   make bench  benchmarks at scale, printed as a table
#   make lint   ruff, mypy and the migrations check

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# PostgreSQL for the second run of the suite; pytest-django creates and drops test_headway.
PG_URL ?= postgres://postgres@127.0.0.1:5432/headway
CI ?= false
# The SQLite and PostgreSQL suites run on this many processes (pytest-xdist); each class stays on
# one worker, so data built once per class is built once. WORKERS=0 runs in one process.
WORKERS ?= 2
XDIST := $(if $(filter 0,$(WORKERS)),,-n $(WORKERS) --dist loadscope)

.PHONY: run test test-sqlite test-postgres test-browser bench lint check-tools clean

$(VENV)/.runtime: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

$(VENV)/.test: $(VENV)/.runtime
	@$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

run: $(VENV)/.runtime
	@$(PY) manage.py migrate --no-input
	@$(PY) manage.py load_demo
	@echo ""
	@echo "Headway is at http://$(HOST):$(PORT)/ — sign in with one of the demo logins above. Ctrl+C stops it."
	@$(PY) manage.py runserver $(HOST):$(PORT)

lint: $(VENV)/.test
	$(VENV)/bin/ruff check headway tests bench
	$(VENV)/bin/mypy headway
	HEADWAY_ENV=test $(PY) manage.py makemigrations --check --dry-run
	HEADWAY_ENV=production SECRET_KEY="$$(head -c 48 /dev/urandom | base64)" ALLOWED_HOSTS=headway.example.nhs.uk \
		$(PY) manage.py check --deploy --fail-level WARNING

# Chromium comes from Debian, never from a browser download. Without it the browser suite
# skips (with the reason printed) on a developer machine, and fails the run under CI=true.
check-tools:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing Chromium from Debian for the browser tests…"; \
			apt-get -o DPkg::Lock::Timeout=120 update -qq && \
			apt-get -o DPkg::Lock::Timeout=120 install -y -qq chromium >/dev/null; \
		elif [ "$(CI)" = true ]; then echo "CI: /usr/bin/chromium is missing and we are not root." >&2; exit 1; \
		else echo "Note: /usr/bin/chromium is missing; the browser suite will skip (apt-get install chromium)."; fi; \
	fi
	@if [ ! -x /usr/bin/pdftotext ] || [ ! -x /usr/bin/soffice ] || ! ldconfig -p | grep -q libharfbuzz-subset; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing poppler-utils, LibreOffice Calc and HarfBuzz subsetting (for WeasyPrint) from Debian to check board packs…"; \
			apt-get -o DPkg::Lock::Timeout=120 install -y -qq --no-install-recommends poppler-utils libreoffice-calc-nogui libharfbuzz-subset0 >/dev/null; \
		elif [ "$(CI)" = true ]; then echo "CI: pdftotext or soffice is missing and we are not root." >&2; exit 1; \
		else echo "Note: pdftotext or soffice is missing; the board pack file checks will skip."; fi; \
	fi
	@if ! $(PY) -c "import psycopg; psycopg.connect('$(PG_URL)'.rsplit('/',1)[0] + '/postgres', connect_timeout=3).close()" 2>/dev/null; then \
		if [ "$(CI)" = true ]; then echo "CI: PostgreSQL is not answering at $(PG_URL)." >&2; exit 1; \
		else echo "Note: PostgreSQL is not answering at $(PG_URL); the PostgreSQL run will be skipped."; fi; \
	fi

test: $(VENV)/.test check-tools lint test-sqlite test-postgres test-browser

test-sqlite: $(VENV)/.test
	@echo "== Suite on SQLite =="
	HEADWAY_ENV=test CI=$(CI) $(PY) -m pytest -m "not browser" -q $(XDIST)

test-postgres: $(VENV)/.test
	@echo "== Suite on PostgreSQL =="
	@if [ "$(CI)" != true ] && ! $(PY) -c "import psycopg; psycopg.connect('$(PG_URL)'.rsplit('/',1)[0] + '/postgres', connect_timeout=3).close()" 2>/dev/null; then \
		echo "SKIPPED: PostgreSQL is not answering at $(PG_URL)"; \
	else \
		HEADWAY_ENV=test CI=$(CI) DATABASE_URL=$(PG_URL) $(PY) -m pytest -m "not browser" -q $(XDIST); \
	fi

test-browser: $(VENV)/.test
	@echo "== Browser suite (Chromium from Debian) =="
	HEADWAY_ENV=test CI=$(CI) DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -m browser -q

bench: $(VENV)/.test
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) staticfiles bench/out .mypy_cache .ruff_cache
