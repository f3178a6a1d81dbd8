# The two commands: `make run` and `make test`. Everything else they need is here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The settings default to production; these targets are development.
DEV := DJANGO_DEBUG=1

.PHONY: install install-dev run demo test cluster-test lint format check messages clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/activate
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt package-lock.json | $(BIN)/activate
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@# axe-core for the accessibility test (npm, pinned by package-lock.json).
	if command -v npm >/dev/null; then npm ci --silent --no-audit --no-fund; fi
	touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime

install-dev: $(VENV)/.dev

demo: install
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py setup_demo

run: demo
	@echo "Trang: http://$(HOST):$(PORT)/  ·  Quản trị: http://$(HOST):$(PORT)/admin/"
	$(DEV) $(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

# The many-machine site on loopback: needs PostgreSQL, Redis and Varnish
# (Debian: postgresql, redis-server, varnish, varnish-modules); the local S3
# server comes from PyPI (requirements-cluster.txt).
$(VENV)/.cluster: requirements-cluster.txt | $(VENV)/.dev
	$(PY) -m pip install --quiet -r requirements-cluster.txt
	touch $@

cluster-test: install-dev $(VENV)/.cluster
	NEWSROOM_CLUSTER_TEST=1 $(BIN)/pytest -p no:cacheprovider tests/cluster $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install-dev
	$(DEV) $(PY) manage.py check
	$(DEV) $(PY) manage.py makemigrations --check --dry-run

# Update the English catalogue after changing Vietnamese strings, then fill
# in the new msgstr lines of locale/en/LC_MESSAGES/django.po and compile.
messages: install-dev
	$(DEV) $(PY) manage.py makemessages -l en --ignore=.venv --ignore=tests --ignore=bench
	$(DEV) $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) node_modules db.sqlite3 db.sqlite3-* staticfiles .pytest_cache .ruff_cache
