# The two commands a newcomer needs: `make run` (the app with demo data) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The web server's port for `make run`: `make run PORT=8001` or `PORT=8001 make run`.
PORT ?= 8000

.PHONY: run test install assets lint hooks clean

run: export DEBUG = 1
run: export DACRRE_DEMO_SKIP_MFA = 1
run: export PORT := $(PORT)
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install assets
	@$(BIN)/python -c 'import socket; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", $(PORT)))' 2>/dev/null \
	  || { echo "\nPort $(PORT) on 127.0.0.1 is already in use (another dacrre, or another program)."; \
	       echo "Stop that first, or choose another port: make run PORT=8001\n"; exit 1; }
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "\nStarting web (http://127.0.0.1:$(PORT)), worker and beat. Ctrl-C stops all three.\n"
	$(BIN)/honcho start -f Procfile.dev

# Two processes (pytest-xdist); tests that cannot run at the same time are marked (tests/xdist_groups.py).
test: install assets
	$(BIN)/pytest -n 2

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports

# The same checks before each commit (.pre-commit-config.yaml), on the tools in .venv.
hooks: install
	$(BIN)/pre-commit install

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

assets: static/dist/.built

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

static/dist/.built: node_modules/.installed frontend/dacrre.scss frontend/_image-urls.scss frontend/copy-assets.mjs
	npm run build
	touch $@

clean:
	rm -rf $(VENV) node_modules static/dist staticfiles var
