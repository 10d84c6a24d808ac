# Two commands a reader needs: `make report` and `make test`. Everything else bootstraps.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: report test test-fast golden mutate bench lock clean

# The virtual environment is rebuilt whenever the lock file or pyproject changes.
$(VENV): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(VENV)

report: $(VENV)
	$(BIN)/paradox render

# pytest-xdist workers: the tests that render the book share one worker (they take its render
# lock; tests/conftest.py groups them), the rest is spread over the others, and the session's
# good render is made once for all (tests/e2e/conftest.py). `make test` runs three on this
# machine's two cores: its end-to-end tests wait on kernels, browsers and subprocesses for a
# quarter of the time, and a third worker fills part of that. Measured on fresh clones of idle
# machines, 2026-12-01: 4 min 24 s with three workers on one; on a slower 2-core AMD EPYC (pure
# Python about 1.5x slower) 5 min 59 s to 6 min 46 s with three and 6 min 43 s with two - the
# cores are busy either way there (vmstat: 98-100 % for the whole run) - and 5 min 33 s to
# 5 min 43 s there after the changes of the next session (bytecode, renders off the chain).
# `make test-fast` is pure Python, and two workers suit it (49 s on the first machine, 67 to
# 77 s on the second).
# pytest's own exit code goes through: 5 (no test collected) fails CI like a failing test.
XDIST := -n 3 --dist loadgroup
XDIST_FAST := -n 2 --dist loadgroup
# The tests start some hundred Python processes (workers, `paradox` commands, kernels). Where
# the shell sets PYTHONDONTWRITEBYTECODE (this workplace's machines do), each of them compiled
# the project's modules again, and each worker re-did pytest's assertion rewriting of every
# test file (9.5 s per worker instead of 4.3 s): the tests write __pycache__ (git ignores it).
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest

test: $(VENV)
	$(PYTEST) $(XDIST)

# Everything except the end-to-end renders and browser runs (CI runs all of `make test`).
test-fast: $(VENV)
	$(PYTEST) $(XDIST_FAST) -m "not slow"

# Record what the book prints (every ledger value, every figure spec digest) in
# tests/golden/book.json after a deliberate change; tests/test_golden.py fails on any other.
golden: $(VENV)
	$(BIN)/python tests/golden/snapshot.py

# Mutation testing of the argument, the formatter, validation and the renderer's cache key and
# escaping (not per-commit CI: minutes per target). One target at a time with its own fast
# tests (tests/mutate.py TARGETS); `make mutate TARGETS="estimate explanations"` runs a subset.
mutate: $(VENV)
	$(BIN)/python tests/mutate.py $(TARGETS)

# Seconds for every model and simulation (budget 2 s), then the render: cold, no change, one
# data file changed (targets: <= 20 s, <= 2 s, only the chapters that read the file re-run),
# then `paradox update` from the publishers' files (with and without the ledger diff).
bench: $(VENV)
	$(BIN)/python benchmarks/analysis_bench.py
	$(BIN)/python benchmarks/render_bench.py
	$(BIN)/python benchmarks/update_bench.py

# Re-pin every dependency (with hashes) after editing pyproject.toml. Needs `uv` on PATH.
lock:
	printf 'setuptools>=69\n' | uv pip compile pyproject.toml - --extra test \
	  --generate-hashes --python-version 3.11 --no-header -o requirements.lock

clean:
	rm -rf $(VENV) _book .render-cache .mutate
