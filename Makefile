# Two commands do all the set-up:  `make` (install and build)  and  `make test`.
PYTHON ?= python3

.PHONY: all install browser build test bench

all: install build

install: browser
	$(PYTHON) -m pip install --quiet -e '.[test]'
	@# an editable install leaves the package uncompiled: compile it once here, as a
	@# regular install does, so that no run pays for it (a stale file is recompiled)
	$(PYTHON) -m compileall -q edition

# Debian's Chromium, for the tests that open the site in a real browser.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
	  || echo "warning: could not install chromium; browser tests will fail"; }

build:
	edition build

test:
	$(PYTHON) -m pytest

bench:
	$(PYTHON) benchmarks/bench_build.py
