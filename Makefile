# The two commands: `make run` (set up and run the product) and `make test` (the whole suite, lint
# included). `make bench` runs the benchmarks. Everything installs itself on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PACT   := tools/pact-cli/node_modules/.bin/pact

.PHONY: run test lint deps bench clean ui-assets

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

$(PACT): tools/pact-cli/package.json tools/pact-cli/package-lock.json
	cd tools/pact-cli && npm ci --no-audit --no-fund
	touch $@

# PactFlow's comparator, the oracle of tests/provider_contracts/test_oracle.py.
OPC    := tools/openapi-comparator/node_modules/.installed
$(OPC): tools/openapi-comparator/package.json tools/openapi-comparator/package-lock.json
	cd tools/openapi-comparator && npm ci --no-audit --no-fund
	touch $@

deps: $(VENV)/.dev $(PACT) $(OPC)

run: $(VENV)/.runtime
	$(BIN)/python bin/run.py

# ruff, then the direction of dependencies between the apps (import-linter; pyproject.toml).
lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: deps lint
	$(BIN)/python -m pytest -n 2 --durations=25

# Front-end libraries from pinned npm packages into static/vendor/ (the copies are committed).
ui-assets:
	cd tools/ui-assets && npm ci --no-audit --no-fund --ignore-scripts
	cp tools/ui-assets/node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
	cp tools/ui-assets/node_modules/cytoscape/dist/cytoscape.min.js static/vendor/cytoscape.min.js
	# The network diagram's layout (fCoSE) and the two libraries it needs, in load order.
	cp tools/ui-assets/node_modules/layout-base/layout-base.js static/vendor/layout-base.js
	cp tools/ui-assets/node_modules/cose-base/cose-base.js static/vendor/cose-base.js
	cp tools/ui-assets/node_modules/cytoscape-fcose/cytoscape-fcose.js static/vendor/cytoscape-fcose.js
	cp tools/ui-assets/node_modules/axe-core/axe.min.js tests/e2e/vendor/axe.min.js

bench: deps
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var tools/pact-cli/node_modules tools/ui-assets/node_modules
