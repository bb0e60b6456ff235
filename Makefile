# Tỉnh Số: `make demo` runs the whole site, `make test` runs the whole suite.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTHON ?= python3

.PHONY: install demo test lint typecheck schema messages bench-load clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -U pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	touch $@

install: $(VENV)/.installed
	scripts/system-deps.sh
	if find src -name '*.po' | grep -q .; then $(PY) manage.py compilemessages -v 0 --ignore=.venv; fi

# Refuses a port already in use before anything else; the links the seed and the site write
# (slips' QR codes, messages) point to this PORT (and HOST) unless SITE_URL is given.
demo: install
	PORT=$(PORT) scripts/serve.sh --check-port
	$(PY) manage.py createdb
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py collectstatic --noinput -v 0
	SITE_URL="$$(PORT=$(PORT) scripts/serve.sh --site-url)" $(PY) manage.py seed_demo
	DEMO_MODE=1 PORT=$(PORT) scripts/serve.sh

test: install
	scripts/system-deps.sh --browser
	$(PY) -m pytest -n 2 --dist loadgroup -q $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The import layers of docs/architecture.md, then the types (config in pyproject.toml).
typecheck: install
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy src/tinhso

schema: install
	$(PY) manage.py spectacular --file docs/openapi.yaml --validate

messages: install
	cd src/tinhso && ../../$(PY) ../../manage.py makemessages -l vi -l en --no-obsolete -v 0

# Benchmarks against PostgreSQL (bench/README.md): DATABASE_URL=postgres://…/tinhso_bench
bench-load: install
	$(PY) bench/generate.py --dossiers $${DOSSIERS:-1000000}
	$(PY) bench/load.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var
