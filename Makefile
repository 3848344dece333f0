# The two commands a newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip

.PHONY: run test install install-dev migrate demo clean bench-ingest help

help:
	@echo "make run   - install, migrate SQLite, load demo data, start web + Celery worker + beat"
	@echo "make test  - install dev extras, check lint (ruff) and the floors (import-linter), run the test suite"

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PIP) install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(PIP) install --quiet -e ".[dev]"
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# `make run` uses the embedded defaults: SQLite under var/ and a filesystem Celery broker, DEBUG on.
# `make run PORT=8080` (or ADDR=0.0.0.0:8080) serves on another address.
PORT ?= 8000
ADDR ?= 127.0.0.1:$(PORT)
run: export DEBUG ?= true
run: $(VENV)/.installed
	@fc-list :lang=zh family 2>/dev/null | grep -q . || echo "提示：未找到中文字体，信用报告中的中文将无法显示。请安装：sudo apt-get install fonts-wqy-microhei（其他系统安装任一中文字体，如 Noto Sans CJK SC）/ no CJK font: install fonts-wqy-microhei"
	$(PY) manage.py migrate --noinput
	$(PY) manage.py bootstrap_demo
	$(PY) manage.py runplatform --addr $(ADDR)

# The shape first (ruff's rule set and the floors contract in pyproject.toml), then the behaviour.
test: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) -m pytest $(PYTEST_ARGS)

bench-ingest: $(VENV)/.installed-dev
	$(PY) bench/ingest.py $(BENCH_ARGS)

clean:
	rm -rf var/ staticfiles/ .pytest_cache
