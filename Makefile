# detente: the two commands a new user needs are `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= demo/detente.db

.PHONY: demo test test-all test-browser lint format eval bench clean-demo reliability

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	@mkdir -p $(dir $(DB))
	$(BIN)/detente ingest examples --db $(DB)
	$(BIN)/detente timeline --db $(DB)
	$(BIN)/detente summary --db $(DB)
	$(BIN)/detente report --db $(DB) -o $(dir $(DB))report.html
	@echo ""
	@echo "Report: open $(dir $(DB))report.html in a browser (one file, works offline)."
	@echo "Web app: $(BIN)/detente serve --db $(DB)   then open http://127.0.0.1:8000/"

test: $(STAMP)
	$(BIN)/python -m pytest -q

test-all: $(STAMP)
	$(BIN)/python -m pytest -q -m "slow or not slow"

# The web app in Debian's Chromium (installed by the tests when missing); screenshots in build/test-artifacts/.
test-browser: $(STAMP)
	$(BIN)/python -m pytest -q -m browser tests/web

lint: $(STAMP)
	$(BIN)/ruff check src tests $(wildcard benchmarks)
	$(BIN)/ruff format --check src tests $(wildcard benchmarks)

format: $(STAMP)
	$(BIN)/ruff format src tests $(wildcard benchmarks)
	$(BIN)/ruff check --fix src tests $(wildcard benchmarks)

# The extraction benchmark on the dev articles (needs ../shared beside the repository).
eval: $(STAMP)
	@mkdir -p build
	$(BIN)/detente extract ../shared/corpus/dev --format eval -o build/dev-eval.jsonl
	python3 ../shared/eval/score.py ../shared/eval/dev/gold.jsonl build/dev-eval.jsonl

bench: $(STAMP)
	$(BIN)/detente bench throughput

# Crash, concurrency, bad-input, load and memory tests plus the Dask benchmark; ends with a
# one-line summary. Heavy (about 10-15 minutes on 2 cores): not part of `make test`.
RELIABILITY_LOG := build/reliability.json
reliability: $(STAMP)
	@mkdir -p build && rm -f $(RELIABILITY_LOG) build/dask.json
	@start=$$(date +%s); \
	DETENTE_RELIABILITY_LOG=$(abspath $(RELIABILITY_LOG)) DETENTE_FUZZ_EXAMPLES=$${DETENTE_FUZZ_EXAMPLES:-300} \
		$(BIN)/python -m pytest -q -m reliability -o addopts="" --strict-markers \
		tests/test_ingest_fuzz.py tests/test_cluster.py tests/test_reliability_crash.py \
		tests/test_reliability_load.py tests/test_reliability_memory.py; status=$$?; \
	$(BIN)/detente bench dask --articles 200 --json > build/dask.json || status=1; \
	echo "reliability took $$(( $$(date +%s) - start )) s"; \
	$(BIN)/python tests/reliability_summary.py $(RELIABILITY_LOG) build/dask.json; exit $$status
