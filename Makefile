# Two commands matter: `make demo` and `make test`. Everything else is what they build on.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
OPENAPI_VERSION := 23.0.2
OPENAPI_JSON := .cache/openapi/api.github.com.json
LINEAR_SDK_VERSION := 98.0.0
LINEAR_SDK_TYPES := .cache/linear/linear-sdk.d.mts
GRAPHQL_SCHEMA_VERSION := 15.26.1
GRAPHQL_SCHEMA := .cache/graphql/schema.graphql

# No usage reporting from the tools we drive; none of these hosts is reachable offline anyway.
export RUNTIME__DLTHUB_TELEMETRY := false
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: demo test install openapi graphql-schema linear-sdk chromium lint clean dagster refresh report postgres postgres-test java spark-test

demo: install graphql-schema
	$(BIN)/python -m simulator.demo

# Lint first: a style slip fails in seconds, not after the four-minute suite.
test: install openapi graphql-schema linear-sdk chromium lint
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

# GitHub's published GraphQL schema, which the simulator's /graphql endpoint validates and answers queries with.
graphql-schema: $(GRAPHQL_SCHEMA)

$(GRAPHQL_SCHEMA):
	mkdir -p .cache/graphql
	cd .cache/graphql && npm pack --silent @octokit/graphql-schema@$(GRAPHQL_SCHEMA_VERSION) >/dev/null \
		&& tar xzf octokit-graphql-schema-$(GRAPHQL_SCHEMA_VERSION).tgz package/schema.graphql \
		&& mv package/schema.graphql . && rm -rf package octokit-graphql-schema-$(GRAPHQL_SCHEMA_VERSION).tgz

# Linear's SDK, whose TypeScript types (generated from Linear's GraphQL schema, which no registry
# ships as SDL) the simulator's subset schema is checked against.
linear-sdk: $(LINEAR_SDK_TYPES)

$(LINEAR_SDK_TYPES):
	mkdir -p .cache/linear
	cd .cache/linear && npm pack --silent @linear/sdk@$(LINEAR_SDK_VERSION) >/dev/null \
		&& tar xzf linear-sdk-$(LINEAR_SDK_VERSION).tgz --wildcards 'package/dist/index-*.d.mts' \
		&& mv package/dist/index-*.d.mts linear-sdk.d.mts && rm -rf package linear-sdk-$(LINEAR_SDK_VERSION).tgz

# The report's browser test drives the system's Chromium (Debian's package; playwright downloads no browser).
chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

# STREAMGAUGE_WAREHOUSE=postgres: the tests start a PostgreSQL 15 of their own (Debian's package).
postgres:
	@test -x /usr/lib/postgresql/15/bin/pg_ctl || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15)

# Not part of `make test` (a few minutes): the demo organisation loaded, built, checked and published
# on a PostgreSQL server started on 127.0.0.1 by the test, every published table compared with DuckDB's.
postgres-test: install postgres
	@start=$$(date +%s); \
	STREAMGAUGE_POSTGRES_TEST=1 $(BIN)/pytest tests/test_postgres.py -p no:cacheprovider; \
	status=$$?; echo "make postgres-test took $$(( $$(date +%s) - start )) s"; exit $$status

# pyspark runs Spark in a Java 17 of the system (Debian's package when there is none).
java:
	@command -v java >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless)

# Not part of `make test` (minutes): the same organisation loaded, built, checked and published on a
# local Spark (pyspark, Java 17), every published table compared with DuckDB's.
spark-test: install java
	@start=$$(date +%s); \
	STREAMGAUGE_SPARK_TEST=1 $(BIN)/pytest tests/test_spark.py -p no:cacheprovider; \
	status=$$?; echo "make spark-test took $$(( $$(date +%s) - start )) s"; exit $$status

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
# floor query at several scales, each incremental build checked against a full refresh (--verify);
# then a smaller load over HTTP through dlt, timed per step (extract, normalize, load).
.PHONY: bench
BENCH_ARGS ?= --scales 10000,100000 --verify
BENCH_INGESTION_ARGS ?= --items-per-project 500
bench: install graphql-schema
	mkdir -p data/bench
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS) --json data/bench/results.json
	$(BIN)/python -m benchmarks.ingestion $(BENCH_INGESTION_ARGS) --workdir data/bench/ingestion --json data/bench/ingestion.json

# Apache Superset on the serving copy (docs/serving.md, "Superset"), in a virtual environment of
# its own, pinned by bi/superset/constraints.txt. `make superset` initialises an instance in
# data/superset (secret key and admin password generated there), provisions the database, the
# marts' datasets and metrics and the dashboards of bi/superset/dashboards.yaml, then serves on
# http://127.0.0.1:$(SUPERSET_PORT) until stopped. SUPERSET_SERVING picks another serving copy.
.PHONY: superset superset-install superset-provision superset-test
SUPERSET_VENV := .cache/superset/venv
SUPERSET_PORT ?= 8088
SUPERSET_SERVING ?= $(or $(STREAMGAUGE_SERVING_DUCKDB),data/demo/serving.duckdb)
SUPERSET_ENV := SUPERSET_HOME=$(CURDIR)/data/superset SUPERSET_CONFIG_PATH=$(CURDIR)/bi/superset/superset_config.py \
	SUPERSET_BIN=$(CURDIR)/$(SUPERSET_VENV)/bin

superset-install: $(SUPERSET_VENV)/.installed

$(SUPERSET_VENV)/.installed: bi/superset/requirements.txt bi/superset/constraints.txt
	test -x $(SUPERSET_VENV)/bin/python || $(PYTHON) -m venv $(SUPERSET_VENV)
	$(SUPERSET_VENV)/bin/pip install --quiet --disable-pip-version-check -c bi/superset/constraints.txt \
		-r bi/superset/requirements.txt
	touch $@

superset-provision: superset-install
	$(SUPERSET_ENV) bi/superset/init.sh
	$(SUPERSET_ENV) $(SUPERSET_VENV)/bin/python bi/superset/provision.py $(SUPERSET_SERVING)

superset: superset-provision
	@echo "Superset: http://127.0.0.1:$(SUPERSET_PORT)/superset/dashboard/flow/ and .../dashboard/delivery/;"
	@echo "log in as admin with the password in data/superset/admin_password. Ctrl-C stops it."
	$(SUPERSET_ENV) $(SUPERSET_VENV)/bin/gunicorn --bind 127.0.0.1:$(SUPERSET_PORT) --workers 1 --threads 4 \
		--timeout 120 --no-control-socket --access-logfile - "superset.app:create_app()"

# Not part of `make test` (the install takes minutes): a Superset of its own on a free loopback
# port, provisioned twice from a copy of the demo's serving copy, checked through its API and in
# headless Chromium, then stopped.
superset-test: install chromium superset-install data/demo/serving.duckdb
	@start=$$(date +%s); \
	SUPERSET_BIN=$(CURDIR)/$(SUPERSET_VENV)/bin $(BIN)/pytest bi/superset/test_superset.py -p no:cacheprovider -s; \
	status=$$?; echo "make superset-test took $$(( $$(date +%s) - start )) s"; exit $$status

data/demo/serving.duckdb:
	$(MAKE) demo
