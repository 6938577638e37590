# calcinosis-kg: `make run` builds and shows the graph; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help run test lint bench canonical clean

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)  ## set up, build, reason, validate, print a summary and a sample query
	$(BIN)/calcinosis-kg build --out dist
	CALCINOSIS_KG_RELEASE=dist $(BIN)/calcinosis-kg stats
	CALCINOSIS_KG_RELEASE=dist $(BIN)/calcinosis-kg query types --format table

test: $(STAMP)  ## set up and run the whole test suite
	$(BIN)/pytest

lint: $(STAMP)  ## ruff lint and format check, mypy on the package
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)  ## run the benchmarks and print their tables
	$(BIN)/python bench/bench_build.py
	$(BIN)/python bench/bench_pipeline.py

canonical: $(STAMP)  ## rewrite ontology/*.ttl in their canonical form (longturtle, canonical blank nodes)
	$(BIN)/python -c 'import sys; from pathlib import Path; from rdflib import Graph; \
	from calcinosis_kg.serialize import canonical_turtle; \
	texts = {p: canonical_turtle(Graph().parse(p, format="turtle")) for p in sys.argv[1:]}; \
	[Path(p).write_text(text, encoding="utf-8") for p, text in texts.items()]' ontology/calcinosis.ttl ontology/shapes.ttl

clean:  ## remove the build output and the virtual environment
	rm -rf dist $(VENV) build *.egg-info
