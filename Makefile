# PipeMap -- one entry point for set-up, tests, demo, benchmarks and packaging.
# `make test` and `make demo` run `make setup` themselves (it is idempotent).
SHELL := /bin/bash
ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
VENV ?= $(ROOT)/.venv
PY := $(VENV)/bin/python
BUILD := $(ROOT)/build
ENV := source $(ROOT)/scripts/env.sh &&
KERNEL_SRC := $(wildcard core/gpr/kernel/src/*.c)
KERNEL_LIB := core/gpr/kernel/libpipemap_kernel.so
TS := $(wildcard i18n/*.ts)
QM := $(TS:.ts=.qm)

.PHONY: setup test test-core demo bench fuzz lint format package deploy ts qm kernel clean styles

setup:
	@bash scripts/setup.sh

test: setup
	@bash scripts/run_tests.sh $(ARGS)

test-core: setup
	@bash scripts/run_tests.sh tests/core tests/test_architecture.py $(ARGS)

demo: setup
	@$(ENV) $(PY) scripts/demo.py --out $(BUILD)/demo $(ARGS)

bench: setup
	@$(ENV) $(PY) scripts/bench.py --out $(BUILD)/bench $(ARGS)

fuzz: setup
	@bash scripts/run_tests.sh -m fuzz --hypothesis-profile=long $(ARGS)

lint: setup
	@$(PY) -m ruff check .
	@$(PY) -m flake8 .

format: setup
	@$(PY) -m ruff format .

kernel: $(KERNEL_LIB)
ifneq ($(KERNEL_SRC),)
$(KERNEL_LIB): $(KERNEL_SRC)
	gcc -O3 -fopenmp -fPIC -shared -o $@ $(KERNEL_SRC) -lm
else
$(KERNEL_LIB):
	@true
endif

ts:
	@$(ENV) $(PY) scripts/extract_messages.py
	@pylupdate5 -noobsolete $$(git ls-files --cached --others --exclude-standard '*.py' | grep -v '^tests/\|^scripts/') -ts i18n/pipemap_zh_CN.ts
	@echo "ts: updated i18n/pipemap_zh_CN.ts"

qm: $(QM)

i18n/%.qm: i18n/%.ts
	@lrelease -silent $< -qm $@ || lrelease $< -qm $@

styles: setup
	@$(ENV) $(PY) scripts/make_styles.py

package: qm kernel
	@$(ENV) /usr/bin/python3 scripts/package.py --out $(BUILD)/pipemap.zip

deploy: setup qm kernel
	@$(ENV) config="$${QGIS_CUSTOM_CONFIG_PATH:-$$HOME/.local/share/QGIS/QGIS3}"; \
	  mkdir -p "$$config/profiles/default/python/plugins"; \
	  ln -sfn $(ROOT) "$$config/profiles/default/python/plugins/pipemap"; \
	  echo "deploy: linked $(ROOT) as $$config/profiles/default/python/plugins/pipemap (enable PipeMap in the plugin manager)"

clean:
	rm -rf $(BUILD) $(QM) $(KERNEL_LIB)
