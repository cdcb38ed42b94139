# The two front-door commands are `make chat` and `make test`; both install first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install chat test eval index bench clean

install: $(STAMP)

# Reinstall only when the project's dependency list changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

chat: install
	$(BIN)/rag chat

index: install
	$(BIN)/rag index

test: install
	$(BIN)/python -m pytest -q

eval: install
	$(BIN)/rag eval

bench: install
	$(BIN)/python -m evals.bench_retrieval
	$(BIN)/python -m evals.bench_speed

clean:
	rm -rf $(VENV) .rag-data
