# Kizuki developer tasks. `make run` starts the product; `make test` runs what CI runs.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Workers for pytest-xdist; `make test PYTEST_WORKERS=0` runs the suite in one process.
PYTEST_WORKERS ?= 2
PYTEST := $(BIN)/pytest -n $(PYTEST_WORKERS)
PG_HOST ?= 127.0.0.1
PG_PORT ?= 5432
PG_URL ?= postgresql://postgres@$(PG_HOST):$(PG_PORT)/kizuki
PO_FILES := $(wildcard src/kizuki/locale/*/LC_MESSAGES/*.po)
STAMP := $(VENV)/.installed

.PHONY: venv run static compilemessages messages gettext lint migrations-check i18n-check \
	chromium fonts test-sqlite test-postgres api-fuzz test clean

# Create .venv and install the pinned requirements plus kizuki (editable), when they change.
venv: $(STAMP)
$(STAMP): $(wildcard requirements/*.txt) pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt -e .
	touch $@

# Migrate, load the demo data, serve web + worker on http://127.0.0.1:8000 (Ctrl-C stops;
# SERVE_ARGS="--port 8001" to move it).
run: venv compilemessages static fonts
	$(BIN)/kizuki migrate
	$(BIN)/kizuki serve --demo $(SERVE_ARGS)

# htmx comes from the npm registry at build time, pinned by version and tarball hash, never
# committed. Fetched only when missing or when HTMX_VERSION changes (see the .version file).
HTMX_VERSION := 2.0.11
# sha512 of htmx.org-$(HTMX_VERSION).tgz, hex (the registry's `integrity` field, decoded).
HTMX_SHA512 := 4e1c7f5ada5e390a92aea042c3f0357301891a0e14ad56b7fac5b41a6accde9e202603bcf5e707e2ab5b9f2cc30d616f053aa39c83028042d336deb7e9db5a98
VENDOR := src/kizuki/core/static/vendor

# Fetch htmx if needed, then collect static files into KIZUKI_STATIC_ROOT (var/static).
static: venv
	@if [ ! -f $(VENDOR)/htmx.min.js ] || [ "$$(cat $(VENDOR)/.version 2>/dev/null)" != "htmx $(HTMX_VERSION)" ]; then \
		tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
		echo "fetching htmx $(HTMX_VERSION)" && \
		(cd "$$tmp" && npm pack --silent htmx.org@$(HTMX_VERSION) >/dev/null) && \
		echo "$(HTMX_SHA512)  $$tmp/htmx.org-$(HTMX_VERSION).tgz" | sha512sum --check --quiet - && \
		tar -xzf "$$tmp/htmx.org-$(HTMX_VERSION).tgz" -C "$$tmp" package/dist/htmx.min.js && \
		mkdir -p $(VENDOR) && cp "$$tmp/package/dist/htmx.min.js" $(VENDOR)/htmx.min.js && \
		echo "htmx $(HTMX_VERSION)" > $(VENDOR)/.version; \
	fi
	$(BIN)/python manage.py collectstatic --noinput -v0

# Compile the translation catalogues (.po -> .mo, build outputs, not committed).
compilemessages: $(PO_FILES:.po=.mo)
%.mo: %.po | gettext
	msgfmt --check-format --output-file $@ $<

# Update the Japanese catalogue from the source (then translate the new entries).
messages: venv gettext
	scripts/makemessages.sh src/kizuki

# Install GNU gettext (msgfmt, xgettext) if it is missing.
gettext:
	@scripts/ensure_package.sh /usr/bin/msgfmt gettext

# Ruff on the code, strict mypy on the code and its tests, and the import contracts between
# the apps (pyproject.toml). All three run; fails if any finds errors.
lint: venv
	$(BIN)/ruff check --output-format concise src tests $(wildcard bench); ruff=$$?; \
	$(BIN)/mypy src tests $(wildcard bench); mypy=$$?; \
	$(BIN)/lint-imports; contracts=$$?; \
	[ $$ruff -eq 0 ] && [ $$mypy -eq 0 ] && [ $$contracts -eq 0 ]

# Fail if a model change has no migration.
migrations-check: venv
	mkdir -p var
	$(BIN)/python manage.py makemigrations --check --dry-run

# Fail if any Japanese translation is missing or fuzzy (the repo's .po is left untouched).
i18n-check: venv gettext
	scripts/check_i18n.sh

# Install Debian's Chromium for the browser tests, if missing.
chromium: fonts
	@scripts/ensure_package.sh /usr/bin/chromium chromium

# Install Noto CJK, if missing: screenshots and PDF exports show Japanese with it.
fonts:
	@scripts/ensure_package.sh /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc fonts-noto-cjk

# The whole suite, browser tests included, on SQLite.
test-sqlite: venv compilemessages static chromium
	$(PYTEST)

# The suite minus browser tests on PostgreSQL; skipped if none is running (fails if CI=true).
test-postgres: venv compilemessages static fonts
	@if $(BIN)/python -c 'import socket; socket.create_connection(("$(PG_HOST)", $(PG_PORT)), 3)' 2>/dev/null; then \
		echo "KIZUKI_DATABASE_URL=$(PG_URL) $(PYTEST) -m 'not browser'"; \
		KIZUKI_DATABASE_URL=$(PG_URL) $(PYTEST) -m 'not browser'; \
	elif [ "$$CI" = true ]; then \
		echo "error: no PostgreSQL on $(PG_HOST):$(PG_PORT)" >&2; exit 1; \
	else \
		echo "skipping test-postgres: no PostgreSQL on $(PG_HOST):$(PG_PORT)"; \
	fi

# Fuzz the API against its OpenAPI document on a real server (about 2.5 minutes); fails on
# any 5xx or undocumented status. API_FUZZ_ARGS="--max-time 600" runs longer.
api-fuzz: venv compilemessages
	$(BIN)/python scripts/api_fuzz.py $(API_FUZZ_ARGS)

# Everything CI checks.
test: venv compilemessages lint migrations-check i18n-check chromium test-sqlite test-postgres \
	api-fuzz

# Remove the virtualenv, local data, caches and build outputs.
clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache .import_linter_cache .grimp_cache \
		src/*.egg-info $(VENDOR)
	find src tests -name __pycache__ -type d -prune -exec rm -rf {} +
	find src -name '*.mo' -delete
