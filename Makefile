# courtlearn: the verbs. `make run` and `make test` do all set-up on a fresh machine.
SHELL := /bin/bash
PORT ?= 8000
# The suite runs on two processes (pytest-xdist); PYTEST_WORKERS=0 runs it in one.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.lock 2>/dev/null | cut -c1-12)
MANAGE := $(PY) manage.py

.PHONY: run test lint format migrations-check messages worker beat serve bench chaos system-deps venv clean

# A Python 3.12+ interpreter: $PYTHON, then python3.13/python3.12 on PATH, then pyenv's.
find-python = $(strip $(or $(PYTHON),$(shell for p in python3.13 python3.12 $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null) python3; do \
  command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; break; }; done)))

$(STAMP): requirements.lock
	@py="$(find-python)"; \
	if [ -z "$$py" ]; then echo "courtlearn needs Python 3.12 or newer (Django 6 refuses 3.11). Install it, or set PYTHON=/path/to/python3.12." >&2; exit 1; fi; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then rm -rf $(VENV); echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV); fi
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
	rm -f $(VENV)/.installed-*; touch $@

venv: $(STAMP)

# Debian packages the suite needs: Chromium for browser tests, Noto CJK for Chinese in posters and screenshots.
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	[ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || missing="$$missing fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Missing system packages. Run: sudo apt-get install -y$$missing" >&2; exit 1; fi; \
	fi

# Without REDIS_URL, tasks run in-process and `celery beat` runs the periodic ones itself when they
# are due (reminders, summaries, sweeps: no broker, no worker); it starts and stops with runserver.
# With REDIS_URL, run `make worker` and exactly one `make beat` instead. EMBEDDED_BEAT=0 skips it.
run: $(STAMP)
	@mkdir -p var
	DJANGO_DEBUG=1 $(MANAGE) migrate --noinput
	DJANGO_DEBUG=1 $(MANAGE) seed_demo
	DJANGO_DEBUG=1 $(MANAGE) build_summaries
	@if [ -z "$$REDIS_URL" ] && [ "$${EMBEDDED_BEAT:-1}" != 0 ]; then \
	  DJANGO_DEBUG=1 $(VENV)/bin/celery -A courtlearn beat --loglevel=WARNING -s var/celerybeat-schedule & beat=$$!; \
	  trap 'kill $$beat 2>/dev/null; wait $$beat 2>/dev/null' EXIT INT TERM; \
	  echo "The scheduler (celery beat, tasks in-process) runs as process $$beat and stops with the server."; \
	fi; \
	DJANGO_DEBUG=1 $(MANAGE) runserver 127.0.0.1:$(PORT)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: $(STAMP)
	DJANGO_DEBUG=1 $(MANAGE) makemigrations --check --dry-run

# Rebuild the Chinese catalogue from the per-family fragments in locale/fragments/.
messages: $(STAMP)
	$(PY) scripts/build_locale.py

test: $(STAMP) system-deps lint migrations-check
	@mkdir -p var test-artifacts
	$(VENV)/bin/pytest -n $${PYTEST_WORKERS:-2} -m "not chaos" $(PYTEST_ARGS)
	@# The chaos run starts its own PostgreSQL, Redis, gunicorn, worker and beat: alone, after the rest
	@# (exit code 5 = PYTEST_ARGS selected no chaos test).
	$(VENV)/bin/pytest -m chaos $(PYTEST_ARGS) || [ $$? -eq 5 ]

worker: $(STAMP)
	$(VENV)/bin/celery -A courtlearn worker --loglevel=INFO --concurrency=$${CELERY_CONCURRENCY:-2}

beat: $(STAMP)
	@mkdir -p var
	$(VENV)/bin/celery -A courtlearn beat --loglevel=INFO -s var/celerybeat-schedule

serve: $(STAMP)
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput
	$(VENV)/bin/gunicorn courtlearn.wsgi:application --bind $${BIND:-127.0.0.1:$(PORT)} --workers $${WEB_CONCURRENCY:-3} \
	  --timeout $${GUNICORN_TIMEOUT:-120} --access-logfile -

# Province-scale benchmark on PostgreSQL (BENCH_SCALE=0.05 for a quick run). See reports/bench/run.py.
bench: $(STAMP)
	$(PY) reports/bench/run.py

# A court's traffic while gunicorn, the worker, beat, Redis and PostgreSQL fail at random moments,
# then checks that nothing acknowledged was lost (scripts/chaos.py). Needs PostgreSQL's server
# binaries and redis-server; starts its own of each on loopback. `make chaos CHAOS_SECONDS=60 CHAOS_SEED=7`.
CHAOS_SECONDS ?= 180
CHAOS_SEED ?= 1
chaos: $(STAMP)
	$(PY) scripts/chaos.py --seconds $(CHAOS_SECONDS) --seed $(CHAOS_SEED)

clean:
	rm -rf $(VENV) var test-artifacts
