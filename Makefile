# Two commands matter: `make demo` and `make test`. Everything else is what they build on.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
OPENAPI_VERSION := 23.0.2
OPENAPI_JSON := .cache/openapi/api.github.com.json

# No usage reporting from the tools we drive; none of these hosts is reachable offline anyway.
export RUNTIME__DLTHUB_TELEMETRY := false
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.PHONY: demo test install openapi lint clean

demo: install
	$(BIN)/python -m orchestration.demo

test: install openapi
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

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) .cache data dbt_project/target dbt_project/logs
