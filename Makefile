# The two commands the README starts with. Everything else is in scripts/ and .ci/.
.PHONY: run test lint bench

run:  ## set up and serve the app with the demo organisation at http://127.0.0.1:8000
	@. scripts/env.sh && "$$UV" run --frozen secondround serve --demo

test:  ## set up and run every check: ruff, the layer contracts (.importlinter), mypy, the whole pytest suite
	@. scripts/env.sh && "$$UV" run --frozen ruff check . \
		&& "$$UV" run --frozen ruff format --check . \
		&& "$$UV" run --frozen lint-imports \
		&& "$$UV" run --frozen mypy \
		&& "$$UV" run --frozen pytest

bench:  ## run the benchmarks and print their tables
	@. scripts/env.sh && for b in benchmarks/[!_]*.py; do "$$UV" run --frozen python "$$b"; done
