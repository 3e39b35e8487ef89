# sitrep — developer entry points. Every target bootstraps .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench schema gazetteer clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/sitrep extract tests/data/seed.nl.txt --lang nl --published 2018-06-28 \
		--source-name "seed article" --format table
	$(BIN)/sitrep extract tests/data/seed.nl.txt --lang nl --published 2018-06-28 \
		--source-name "seed article" --format jsonl --output events.jsonl
	@echo "wrote events.jsonl"

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/extract_bench.py

schema: $(STAMP)
	$(BIN)/python -m sitrep.model > src/sitrep/schema/event.schema.json

gazetteer: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[gazetteer]'
	$(BIN)/python scripts/build_gazetteer.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info events.jsonl
