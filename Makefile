# Two commands matter: `make demo` and `make test`. Everything else is what they build on.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
OPENAPI_VERSION := 23.0.2
OPENAPI_JSON := .cache/openapi/api.github.com.json

# No usage reporting from the tools we drive; none of these hosts is reachable offline anyway.
export RUNTIME__DLTHUB_TELEMETRY := false
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: demo test install openapi chromium lint clean dagster refresh report

demo: install
	$(BIN)/python -m simulator.demo

# Lint first: a style slip fails in seconds, not after the four-minute suite.
test: install openapi chromium lint
	$(BIN)/pytest

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	touch $@

# The published GitHub OpenAPI description, which the simulator's replies are validated against.
openapi: $(OPENAPI_JSON)

$(OPENAPI_JSON):
	mkdir -p .cache/openapi
	cd .cache/openapi && npm pack --silent @octokit/openapi@$(OPENAPI_VERSION) >/dev/null \
		&& tar xzf octokit-openapi-$(OPENAPI_VERSION).tgz package/generated/api.github.com.json \
		&& mv package/generated/api.github.com.json . && rm -rf package octokit-openapi-$(OPENAPI_VERSION).tgz

# The report's browser test drives the system's Chromium (Debian's package; playwright downloads no browser).
chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) .cache data dbt_project/target dbt_project/logs

# Dagster: the UI, the schedule, sensors and the run queue on http://127.0.0.1:3000, with the
# instance (run history, settings from orchestration/dagster.yaml) kept in .dagster/.
DAGSTER_HOME_DIR := $(CURDIR)/.dagster

dagster: install $(DAGSTER_HOME_DIR)/dagster.yaml
	DAGSTER_HOME=$(DAGSTER_HOME_DIR) $(BIN)/dagster dev -w workspace.yaml

# One refresh now (sources → dbt → checks → serving copy), recorded in the same instance.
refresh: install $(DAGSTER_HOME_DIR)/dagster.yaml
	DAGSTER_HOME=$(DAGSTER_HOME_DIR) $(BIN)/python -m orchestration.refresh

# The HTML report of the serving copy that is there now ($STREAMGAUGE_SERVING_DUCKDB), written beside it.
report: install
	$(BIN)/python -m orchestration.report

$(DAGSTER_HOME_DIR)/dagster.yaml: orchestration/dagster.yaml
	mkdir -p $(DAGSTER_HOME_DIR)
	cp $< $@

# Benchmark (docs/performance.md): dbt full and incremental build times, peak memory and the
# floor query at several scales, e.g. `make bench BENCH_ARGS="--scales 10000,100000 --verify"`;
# then a smaller load over HTTP through dlt, timed per step (extract, normalize, load).
.PHONY: bench
BENCH_ARGS ?= --scales 10000,100000
BENCH_INGESTION_ARGS ?= --items-per-project 500
bench: install
	mkdir -p data/bench
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS) --json data/bench/results.json
	$(BIN)/python -m benchmarks.ingestion $(BENCH_INGESTION_ARGS) --workdir data/bench/ingestion --json data/bench/ingestion.json
