# Each target installs what it needs into .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install dns-server demo test lint typecheck unit docs bench clean

$(STAMP): pyproject.toml package.json package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[serve,dev]'
	# CDKTF's and CDK Terrain's own CLIs, which the tests run the example stack under (package-lock.json pins them)
	CHECKPOINT_DISABLE=1 npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

install: $(STAMP) dns-server

# The DNS tests publish delegated records at a real authoritative server, Knot DNS (Debian's `knot`):
# installed here when missing and allowed (root with apt-get, as in CI); the tests start it themselves.
dns-server:
	@command -v knotd >/dev/null 2>&1 || [ -x /usr/sbin/knotd ] || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends knot; \
	  else echo "the DNS tests need Knot DNS: run 'apt-get install knot' as root" >&2; exit 1; fi; }

demo: $(STAMP)
	$(BIN)/python scripts/demo.py

test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check smschannel tests bench scripts main.py

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) dns-server
	$(BIN)/python -m pytest -q -p no:cacheprovider

docs: $(STAMP)
	$(BIN)/python -m smschannel.docs

bench: $(STAMP)
	$(BIN)/python bench/plan_scale.py 500

clean:
	rm -rf $(VENV) node_modules cdktf.out .smschannel state
