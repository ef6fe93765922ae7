# The two commands of the README:
#   make run    set up, provision the model, index the bundled plans and serve the web UI
#   make test   set up (incl. the browser and nginx used by the tests) and run the test suite
.PHONY: run test setup test-deps index eval bench lint

setup:
	@bash scripts/setup.sh

run: setup
	.venv/bin/kehoach index
	.venv/bin/kehoach serve $(SERVE_ARGS)

test-deps: setup
	@bash scripts/test_deps.sh

test: test-deps
	.venv/bin/python -m pytest -q $(PYTEST_ARGS)

index: setup
	.venv/bin/kehoach index

eval: setup
	.venv/bin/kehoach eval eval/dev.jsonl
	.venv/bin/kehoach eval eval/heldout.jsonl --no-baseline

bench: setup
	.venv/bin/python scripts/bench.py

lint: setup
	.venv/bin/ruff check .
