# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run worker test lint format migrate demo bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

BENCH_STAMP := $(VENV)/.installed-bench
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/lao_scale

$(BENCH_STAMP): $(STAMP) pyproject.toml
	$(BIN)/pip install --quiet -e ".[dev]"  # gunicorn is a main dependency now
	touch $(BENCH_STAMP)

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

run: demo
	@echo "เปิด http://127.0.0.1:8000 แล้วเข้าสู่ระบบด้วยผู้ใช้ตัวอย่างด้านบน"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Background jobs from the database queue, for a web server started with DJANGO_TASKS_BACKEND=database
# (README, "Background jobs"); `make run` alone runs them in-process and needs no worker.
worker: migrate
	DJANGO_TASKS_BACKEND=database $(BIN)/python manage.py db_worker

# Performance with national-scale data in PostgreSQL (README, "Benchmarks"). The first run builds
# the data set (generate_scale_data skips it when it exists); figures go to artifacts/bench.json.
bench: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks.bench --create-database "$(BENCH_DATABASE_URL)"
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(BIN)/python manage.py migrate --noinput
	DJANGO_BENCHMARKS=1 DATABASE_URL="$(BENCH_DATABASE_URL)" $(BIN)/python manage.py generate_scale_data --orgs 7850 --years 7
	DATABASE_URL="$(BENCH_DATABASE_URL)" $(BIN)/python manage.py seed_demo
	BENCH_DATABASE_URL="$(BENCH_DATABASE_URL)" $(BIN)/python -m benchmarks.bench

# axe-core (npm registry, pinned in package-lock.json) for the accessibility test; never served to users.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch $(NODE_STAMP); \
	else echo "npm not found: the accessibility test is skipped (apt-get install npm)"; fi

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache node_modules
