# Serambi: `make run` starts it with demo content, `make test` runs the whole suite.
# Both set everything up first (virtual environment, pinned packages, translations).

PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PO := $(wildcard locale/*/LC_MESSAGES/*.po locale/wagtail/*/LC_MESSAGES/*.po)
MO := $(PO:.po=.mo)

.PHONY: setup run test lint format lock messages bench clean

setup: $(VENV)/.requirements.sha256 $(MO)

$(VENV)/.requirements.sha256: requirements-dev.lock
	@./scripts/bootstrap

# Translations compile with Babel, so that no system gettext is needed.
locale/%.mo: locale/%.po $(VENV)/.requirements.sha256
	@$(VENV)/bin/pybabel compile --domain $(notdir $*) --input-file $< --output-file $@ --statistics

run: setup
	@mkdir -p var
	@DEBUG=1 $(PY) manage.py migrate --no-input -v 0
	@DEBUG=1 $(PY) manage.py seed_demo
	@echo "==> Serambi on http://127.0.0.1:$(PORT)/ (Ctrl+C stops it)"
	@DEBUG=1 SITE_URL=http://127.0.0.1:$(PORT) $(VENV)/bin/daphne -b 127.0.0.1 -p $(PORT) config.asgi:application

test: setup
	@./scripts/ensure-chromium
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: setup
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

format: setup
	@$(VENV)/bin/ruff check --fix .
	@$(VENV)/bin/ruff format .

lock:
	@./scripts/lock

# Re-extracts translatable strings (a developer task: needs GNU gettext's xgettext).
messages: setup
	@DEBUG=1 $(PY) manage.py makemessages --locale id --no-obsolete --ignore '.venv/*' --ignore 'bench/*' --ignore 'tests/*'

bench: setup
	@$(PY) bench/http_paths.py

clean:
	rm -rf $(VENV) staticfiles var/*.sqlite3* locale/*/LC_MESSAGES/*.mo
