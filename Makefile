# README's two commands: `make run` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install run test lint ingest-samples clean browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

ingest-samples: install
	$(BIN)/chidao ingest data/samples

# Ingest the samples (the summary says what was found), then serve the API and the graph pages.
run: ingest-samples
	$(BIN)/chidao serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .

# Headless Chromium for the graph browser tests: Debian's package, never a downloaded build.
# Without it the browser tests skip, except under CI (CI=true), where that is a failure.
browser:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq chromium >/dev/null; } || { echo "browser: chromium not installed"; \
		test "$$CI" != "true"; }

test: install lint browser
	$(BIN)/python scripts/neo4j_server.py run -- $(BIN)/pytest

clean:
	rm -rf $(VENV) .chidao test-output

# National-scale benchmark (bench/bench_national.py): report in bench/results/national-N.md.
# `bench` is a small scale (under two minutes); `bench-full` all 3,321 communes.
.PHONY: bench bench-full
bench: install
	$(BIN)/python bench/bench_national.py --communes 20 --province-plans 1 --sample-mb 0.6 --queries 300 \
		--neo4j-tasks 200 --api-seconds 10 --budget 20 --down-repeat 4

bench-full: install
	CHIDAO_NEO4J_HEAP=2g CHIDAO_NEO4J_PAGECACHE=2g \
		$(BIN)/python bench/bench_national.py --communes 3321 --sample-mb 20 --budget 120
