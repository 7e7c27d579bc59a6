# Two commands for a newcomer: `make run` and `make test`. Both do all set-up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
PORT ?= 8000

.PHONY: run test test-sqlite test-postgres lint format bench bench-coach bench-web bench-tools coach-eval clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

run: $(STAMP)
	$(BIN)/leitstern migrate --noinput -v0
	$(BIN)/leitstern collectstatic --noinput -v0
	$(BIN)/leitstern demo --if-empty
	$(BIN)/leitstern serve --port $(PORT)

test: $(STAMP)
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$LEITSTERN_TEST_DATABASE_URL" ]; then \
		$(MAKE) --no-print-directory test-postgres; \
	else \
		echo "LEITSTERN_TEST_DATABASE_URL is not set: skipped the PostgreSQL run."; \
	fi

test-sqlite: $(STAMP)
	@echo "== tests on SQLite"
	env -u DATABASE_URL $(BIN)/pytest -n 2

test-postgres: $(STAMP)
	@echo "== tests on PostgreSQL ($$LEITSTERN_TEST_DATABASE_URL)"
	DATABASE_URL="$$LEITSTERN_TEST_DATABASE_URL" $(BIN)/pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy leitstern

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: bench-coach bench-web

bench-coach: $(STAMP)
	$(BIN)/python bench/coach_bench.py

# Load benchmark (docs/performance.md). SIZES=S,M,L and DBS=sqlite,postgres limit it;
# BENCH_POSTGRES_URL points at a server (default postgres://postgres@127.0.0.1:5432).
bench-web: $(STAMP) bench-tools
	$(BIN)/python bench/web_bench.py

bench-tools:
	@command -v wrk >/dev/null 2>&1 || { \
		echo "Installing wrk (Debian package) for the load benchmark"; \
		apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

coach-eval: $(STAMP)
	$(BIN)/python -m leitstern.coach.evaluate --write docs/coach.md

clean:
	rm -rf $(VENV) var build *.egg-info
