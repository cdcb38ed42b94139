# The two front-door commands are `make chat` and `make test`; both install first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run
PORT ?=
# uv installs the same wheels several times faster than pip. Used from PATH when there; else it is
# fetched into the venv with pip (one small wheel) and used from there; pip alone if that fails.
UV ?= $(shell command -v uv 2>/dev/null)

.PHONY: install chat test eval index bench clean

install: $(STAMP)

# Reinstall only when the project's dependency list changes. `make chat` needs only the runtime
# dependencies; `make test` adds the dev ones (pytest, playwright).
$(RUN_STAMP): pyproject.toml
	@echo "== 安装依赖到 $(VENV)/（首次运行需下载约数百 MB，请稍候；之后不再重复）"
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@$(call pip_install,-e .)
	@touch $(RUN_STAMP)
	@echo "== 依赖已安装"

$(STAMP): $(RUN_STAMP)
	@echo "== 安装测试依赖（pytest、playwright）"
	@$(call pip_install,-e '.[dev]')
	@touch $(STAMP)

# $(call pip_install,ARGS): uv when it can be had, else pip; says which.
define pip_install
uv="$(UV)"; \
if [ -z "$$uv" ] && [ ! -x $(BIN)/uv ]; then \
  $(BIN)/python -m pip install --quiet --disable-pip-version-check uv >/dev/null 2>&1 || true; \
fi; \
[ -n "$$uv" ] || { [ -x $(BIN)/uv ] && uv=$(BIN)/uv; }; \
if [ -n "$$uv" ]; then \
  echo "   安装程序：uv（$$uv）"; \
  $$uv pip install --quiet --python $(BIN)/python $(1); \
else \
  echo "   安装程序：pip（未找到 uv）"; \
  $(BIN)/python -m pip install --quiet --disable-pip-version-check $(1); \
fi
endef

# make chat PORT=7861 when 7860 is taken (or RAG_PORT=7861 make chat).
chat: $(RUN_STAMP)
	$(BIN)/rag chat $(if $(PORT),--port $(PORT))

index: $(RUN_STAMP)
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
