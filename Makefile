# Two entry points for a fresh machine (Python 3.11): `make book` and `make test`.
# Both create .venv and install requirements.txt into it first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum requirements.txt pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: venv book test test-fast check-seeds student bench clean

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade --quiet pip
	$(BIN)/pip install -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

## Build the HTML book into book/_build/html (executes every chapter; warnings are errors).
book: $(STAMP)
	$(BIN)/jb build -W -n --keep-going book

## Run every test: labkit unit tests, every notebook under nbval, and the browser tests of the built book.
test: book
	$(BIN)/python -m pytest tests
	$(BIN)/python -m pytest --nbval-lax -p no:cacheprovider book --ignore=book/_build

## Only the labkit unit tests (seconds).
test-fast: $(STAMP)
	$(BIN)/python -m pytest tests --ignore=tests/browser

## Re-run every chapter on other seeds (every assert must hold): make check-seeds SEEDS=7,8,9,10,11
SEEDS ?= 0,1,2,3,4
check-seeds: $(STAMP)
	LABKIT_SEEDS=$(SEEDS) $(BIN)/python -m pytest --nbval-lax -p no:cacheprovider book --ignore=book/_build

## Student edition: book/_build/student/*.ipynb, every `solution` cell replaced by a placeholder.
student: $(STAMP)
	$(BIN)/python scripts/make_student.py --src book --out book/_build/student

## Benchmarks: print ratios measured in one run.
bench: $(STAMP)
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf book/_build
