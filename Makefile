# hotline-verifier: `make run` serves, `make test` runs the whole suite. Both set up what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

SYSTEM_PACKAGES := chromium fonts-wqy-microhei postgresql curl

.PHONY: run test accuracy bench profile screenshots install install-test system-deps lint clean

run: $(VENV)/.runtime-installed
	$(BIN)/verifier serve

test: $(VENV)/.test-installed system-deps
	$(BIN)/pytest

# how often the answers are right, on data the project did not write (docs/accuracy.md);
# every wrong answer listed. make test runs the same measurements on a fixed sample.
accuracy: $(VENV)/.test-installed
	$(BIN)/python -m tools.accuracy --misses

# every performance target as a ratio to a same-run baseline; writes docs/performance.md
bench: $(VENV)/.test-installed
	scripts/system-deps.sh wrk util-linux
	$(BIN)/python -m bench.run

# CPU per request for each benchmark scenario, a py-spy sample of the verify path, the realistic
# mix of new numbers kind by kind against the naive handler, and the verify path's
# bytecodes per request by function (a count the machine's noise does not move)
profile: $(VENV)/.test-installed
	scripts/system-deps.sh wrk util-linux
	$(BIN)/pip install --quiet "py-spy>=0.3"
	$(BIN)/python -m bench.profile --profile verify-mix
	$(BIN)/python -m bench.opcount

# the README's screenshots, taken in the real Chromium at phone and desktop width
screenshots: $(VENV)/.test-installed system-deps
	$(BIN)/python -m verifier.ops.screenshots docs/screenshots

lint: $(VENV)/.test-installed
	scripts/lint

# Debian packages the tests need (a real Chromium for the browser tests, CJK fonts for screenshots,
# PostgreSQL for the second backend, curl for the README examples run by tests/test_readme_examples.py)
system-deps:
	scripts/system-deps.sh $(SYSTEM_PACKAGES)

install: $(VENV)/.runtime-installed
install-test: $(VENV)/.test-installed

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.runtime-installed

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
