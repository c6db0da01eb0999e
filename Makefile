# Two entry points for a fresh machine (Python 3.11): `make book` and `make test`.
# Both create .venv and install requirements.txt into it first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum requirements.txt pyproject.toml | cksum | cut -d' ' -f1)

# The chapters import labkit, but jupyter-cache keys a notebook's outputs on its text only: a
# changed labkit/ would leave every page stale. This stamp is named after a checksum of every
# labkit/ file (names and contents); when labkit changes, a new stamp is missing and its rule
# clears the execution cache and the Sphinx environment, so every chapter runs again.
BUILD        := book/_build
LABKIT_STAMP := $(BUILD)/.labkit-$(shell find labkit -type f -name '*.py' | LC_ALL=C sort | xargs cksum | cksum | cut -d' ' -f1)

# Kernels and tests run torch on one thread: two kernels (the build and nbval) share the two
# cores, and torch's threads, which wait on each other at every operation, would collapse.
TEST_ENV := OMP_NUM_THREADS=1

.PHONY: locales check-locales venv book test test-built test-notebooks test-notebooks-unit test-fast check-seeds student grade bench clean

venv: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade --quiet pip
	$(BIN)/pip install -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

$(LABKIT_STAMP):
	rm -rf $(BUILD)/.jupyter_cache $(BUILD)/.doctrees $(BUILD)/html $(BUILD)/.labkit-*
	mkdir -p $(BUILD) && touch $@

## Build the HTML book into book/_build/html (executes every chapter; warnings are errors).
## 中文版: the second line builds the Chinese edition into book/_build/html/zh_CN from the same
## execution cache (it refuses to run a notebook again) and the catalogues in book/locales/
## (a copy of the book without them, as in tests/test_build_cache.py, builds English only).
book: $(STAMP) $(LABKIT_STAMP)
	$(TEST_ENV) $(BIN)/jb build -W -n --keep-going book
	test ! -d book/locales/zh_CN || $(BIN)/python scripts/book_i18n.py build zh_CN

## 中文版 catalogues: regenerate the .pot from the English text and merge it into
## book/locales/zh_CN/LC_MESSAGES/*.po (new and changed messages arrive empty or fuzzy), then list
## those in book/_build/i18n-todo.json: fill in "translation", then
## `.venv/bin/python scripts/book_i18n.py apply zh_CN book/_build/i18n-todo.json`.
locales: $(STAMP)
	$(BIN)/python scripts/book_i18n.py update
	$(BIN)/python scripts/book_i18n.py todo zh_CN > book/_build/i18n-todo.json

## Fail when a message is untranslated, fuzzy, or the catalogues are stale (tests/test_i18n_catalogues.py).
check-locales: $(STAMP)
	$(BIN)/python scripts/book_i18n.py check

## Run every test on both cores: one job builds the book, then drives it in the browser tests;
## the other executes the notebooks under nbval, then runs the labkit unit tests (which need no
## build). Each job runs all its steps and fails if any failed; `make test` fails if a job did.
test: $(STAMP)
	$(MAKE) --no-print-directory -j2 --output-sync=target test-built test-notebooks-unit

# The unit and browser tests spend much of their time waiting (time limits, subprocesses, page
# loads; the browser tests use about a third of a core each), so pytest-xdist runs several at
# once, each test file on one worker (module fixtures, such as the JS engine's reference runs, are
# computed once).
# BROWSER_STATUS (set by .ci/run, which installs chromium in the background): a file that gets the
# install's exit status; the browser tests wait for it, and do not run if the install failed.
test-built: book
	@if [ -n "$(BROWSER_STATUS)" ]; then \
	  until [ -s "$(BROWSER_STATUS)" ]; do sleep 1; done; \
	  if [ "$$(cat "$(BROWSER_STATUS)")" != 0 ]; then cat "$(BROWSER_STATUS).log"; \
	    echo "error: installing the browser (chromium, fonts-noto-cjk) failed"; exit 1; fi; fi
	$(TEST_ENV) $(BIN)/python -m pytest -n 4 --dist loadfile tests/browser

# Every notebook under nbval (in-cell asserts pin every claim), on the seeds in LABKIT_SEEDS.
NBVAL := $(BIN)/python -m pytest --nbval-lax -p no:cacheprovider book --ignore=book/_build

test-notebooks: $(STAMP)
	$(TEST_ENV) LABKIT_SEEDS=$(NBVAL_SEEDS) $(NBVAL)

# nbval, then the unit tests even when nbval failed (every failure is reported), in one job, at
# a lower CPU priority (nice): the build and the browser tests after it are the longer path.
# nbval re-measures every claim on other seeds than the build (NBVAL_SEEDS): the build shows the
# book's seeds 0-4, and the test fails if any assert does not hold on three more.
NBVAL_SEEDS ?= 5,6,7
test-notebooks-unit: $(STAMP)
	status=0; \
	$(TEST_ENV) LABKIT_SEEDS=$(NBVAL_SEEDS) nice -n 5 $(NBVAL) || status=1; \
	$(TEST_ENV) nice -n 5 $(BIN)/python -m pytest -n 3 --dist loadfile tests --ignore=tests/browser || status=1; \
	exit $$status

## Only the labkit unit tests (no notebooks, no browser).
test-fast: $(STAMP)
	$(TEST_ENV) $(BIN)/python -m pytest tests --ignore=tests/browser

## Re-run every chapter on other seeds (every assert must hold): make check-seeds SEEDS=7,8,9,10,11
SEEDS ?= 0,1,2,3,4
check-seeds: $(STAMP)
	$(TEST_ENV) LABKIT_SEEDS=$(SEEDS) $(NBVAL)

## Student edition: book/_build/student/*.ipynb, every `solution` cell replaced by a placeholder.
## 中文版: `make student LANG=zh_CN` also writes book/_build/student-zh_CN/ (markdown from the
## catalogues, LABKIT_LANG set). Only the exact value zh_CN: the shell's own LANG is ignored.
student: $(STAMP)
	$(BIN)/python scripts/make_student.py --src book --out book/_build/student
ifeq ($(LANG),zh_CN)
	$(BIN)/python scripts/translate_notebooks.py --lang zh_CN --src book/_build/student --out book/_build/student-zh_CN
endif

## Grade a folder of filled-in student editions: make grade SUBMISSIONS=dir [OUT=grades.csv]
## (writes the CSV, a feedback file per student in <OUT>.feedback/, prints the pass rates).
OUT ?= grades.csv
grade: $(STAMP)
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=folder [OUT=grades.csv]"; exit 2; }
	$(BIN)/python -m labkit grade "$(SUBMISSIONS)" --out "$(OUT)"

## Benchmarks: print ratios measured in one run.
bench: $(STAMP)
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done

clean:
	rm -rf book/_build
