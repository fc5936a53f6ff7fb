"""GitHub's published OpenAPI description as JSON Schema validators, for checking what the simulator serves.

The description is `generated/api.github.com.json` from the npm package `@octokit/openapi` 23.0.2
(OpenAPI 3.0.3). `make openapi` extracts it to `.cache/openapi/api.github.com.json`; the
`GITHUB_OPENAPI_JSON` environment variable points elsewhere. Without it the calling test fails.

OpenAPI 3.0 schemas are JSON Schema draft 4 plus `nullable`, which becomes a `null` alternative
wherever it appears (beside `type`, `enum`, `$ref`, `oneOf` or `allOf` alike). Response schemas
are looked up by route in `paths`, so the validators follow whatever component the description
names there. In strict mode every object schema that lists its properties also refuses any
other: a reply must not carry fields GitHub does not document.
"""

from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft4Validator, FormatChecker
from jsonschema.exceptions import best_match
from referencing import Registry
from referencing.jsonschema import DRAFT4

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PATH = ROOT / ".cache" / "openapi" / "api.github.com.json"
DOCUMENT_URI = "urn:github-openapi"
GITHUB_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")

# Formats are checked as GitHub writes them: UTC seconds with `Z`, absolute URLs.
FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time")
def _is_github_timestamp(value: object) -> bool:
    return not isinstance(value, str) or GITHUB_TIMESTAMP.fullmatch(value) is not None


@FORMATS.checks("uri")
def _is_absolute_url(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc)


def spec_path() -> Path:
    return Path(os.environ.get("GITHUB_OPENAPI_JSON") or DEFAULT_PATH)


def response_validator(path: str, method: str = "get", status: str = "200", strict: bool = True) -> Draft4Validator:
    """A validator for the JSON body GitHub documents for `method path` answering `status`."""
    document = _document(str(spec_path()), strict)
    pointer = _response_schema_pointer(document, path, method, status)
    registry = _registry(str(spec_path()), strict)
    return Draft4Validator({"$ref": f"{DOCUMENT_URI}#{pointer}"}, registry=registry, format_checker=FORMATS)


def schema_validator(name: str, strict: bool = True) -> Draft4Validator:
    """A validator for one of the description's component schemas, e.g. `state-change-issue-event`."""
    _document(str(spec_path()), strict)
    registry = _registry(str(spec_path()), strict)
    return Draft4Validator(
        {"$ref": f"{DOCUMENT_URI}#/components/schemas/{name}"}, registry=registry, format_checker=FORMATS
    )


def assert_valid(validator: Draft4Validator, instance: Any, what: str) -> None:
    """Fail with the most relevant schema error, located by its JSON path within `instance`."""
    error = best_match(validator.iter_errors(instance))
    if error is not None:
        context = "; ".join(sorted({f"{e.json_path}: {e.message[:200]}" for e in error.context})[:8])
        raise AssertionError(f"{what}: {error.json_path}: {error.message[:500]}" + (f" [{context}]" if context else ""))


@functools.cache
def _document(path: str, strict: bool) -> dict:
    file = Path(path)
    if not file.is_file():
        pytest.fail(
            f"GitHub's OpenAPI description is missing at {file}: run `make openapi` to fetch "
            "@octokit/openapi 23.0.2 (or point GITHUB_OPENAPI_JSON at api.github.com.json)",
            pytrace=False,
        )
    return _convert(json.loads(file.read_text(encoding="utf-8")), strict)


@functools.cache
def _registry(path: str, strict: bool) -> Registry:
    return Registry().with_resource(DOCUMENT_URI, DRAFT4.create_resource(_document(path, strict)))


def _convert(node: Any, strict: bool) -> Any:
    """OpenAPI 3.0 schema dialect → JSON Schema draft 4, over the whole document."""
    if isinstance(node, list):
        return [_convert(item, strict) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _convert(value, strict) for key, value in node.items()}
    if strict and isinstance(converted.get("properties"), dict) and "additionalProperties" not in converted:
        converted["additionalProperties"] = False
    if converted.get("nullable") is True:
        del converted["nullable"]
        return {"anyOf": [{"type": "null"}, converted]}
    return converted


def _response_schema_pointer(document: dict, path: str, method: str, status: str) -> str:
    """The JSON pointer of a route's response schema, following `$ref`s on the way (shared responses)."""
    node, pointer = document, ""
    for key in ("paths", path, method, "responses", status, "content", "application/json", "schema"):
        if key not in node:
            pytest.fail(f"the OpenAPI description has no {key!r} under {pointer or '/'} ({method.upper()} {path})")
        node, pointer = node[key], f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}"
        if "$ref" in node and key != "schema":
            pointer = node["$ref"].removeprefix("#")
            node = _resolve(document, pointer)
    return pointer


def _resolve(document: dict, pointer: str) -> Any:
    node = document
    for part in pointer.lstrip("/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node
