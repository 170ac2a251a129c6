# The two commands of the README: `make build` and `make test`. Both set themselves up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: build test install bench docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## build: install, then run the main job on data/raw/ into data/warehouse.duckdb
build: $(STAMP)
	$(BIN)/yibao build

## test: install, then run the whole test suite (extraction scores, dbt build, checks, CLI)
test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/bench_extract.py

docs: $(STAMP)
	$(BIN)/yibao docs

clean:
	rm -rf data/interim data/warehouse.duckdb* data/docs data/quality data/report data/export dbt_project/target
