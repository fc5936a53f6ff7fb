"""The models hold no SQL that only one engine runs (the forms the PostgreSQL and Spark ports removed).

Engine-specific SQL belongs in a dispatched macro under dbt_project/macros/ (`default__` ANSI,
`duckdb__`/`postgres__`/`spark__` for an engine's own form); models call the macro. Fast: reads files only.
"""

from __future__ import annotations

import re

import pytest
from dbt_helpers import PROJECT_DIR

# form → what to write instead
NOT_PORTABLE = {
    r"\bas\s+double\s*\)": "cast(... as {{ type_double() }}): `double` alone is no type on PostgreSQL",
    r"(?<![\w.|])(?<!\|\s)round\s*\(": "{{ round_double(expression, digits) }}: PostgreSQL rounds no double to digits",
    r"\bignore\s+nulls\b": "a count of known values and max() over it (see work_item_handoffs)",
    r"\b(string_split|str_split|list_\w+|array_length|quantile_cont|quantile_disc|median|epoch|strftime)\s*\(": (
        "string_to_array(), percentile_cont(p) within group (order by ...), dbt.datediff(...)"
    ),
    r"\b(group|order)\s+by\s+all\b": "the columns by name",
    # an engine's own hash, not dbt.hash (md5 on every engine)
    r"(?<![\w.])(hash|hashtextextended)\s*\(": "{{ random_index(...) }} or {{ portable_random_index(...) }}",
    r"\bexclude\s*\(": "{{ star_except(relation, [...]) }}",
    r"::": "cast(... as ...)",
    r"\binterval\s+\d": "interval '90 days' (quoted), or dbt.dateadd(...)",
    r"\brange\s*\(": "{{ integers(n) }}",
    r"\bas\s+varchar\s*\)": "cast(... as {{ type_varchar() }}): Spark has no varchar without a length",
    r"\bunnest\s*\(": "{{ split_to_rows(...) }} or {{ delivery_regex_matches(...) }}: Spark explodes",
    r"\bregexp_replace\s*\([^;]*?,\s*'g'\s*\)": "{{ regex_replace_all(...) }}: Spark's fourth argument is a position",
    r'"(from|to)"': "{{ adapter.quote('from') }}: Spark reads double quotes as a string",
    r"\bover\s*\(\s*\w+\s+(rows|range)\b": "the window written out: Spark extends no named window with a frame",
    r"[^\w.'][0-9]+\.[0-9]+\s*(?:[-+*/])|(?:[-+*/])\s*[0-9]+\.[0-9]+(?![\w.])": (
        "a double literal (3600.0e0): Spark computes decimal literals in decimals, to 6 digits"
    ),
}


def _sql(text: str) -> str:
    """The file without its Jinja and SQL comments."""
    text = re.sub(r"\{#.*?#\}", "", text, flags=re.DOTALL)
    return re.sub(r"--[^\n]*", "", text)


@pytest.mark.parametrize("pattern", NOT_PORTABLE)
def test_models_use_no_single_engine_sql(pattern: str) -> None:
    found = [
        f"{path.relative_to(PROJECT_DIR)}: {match.group(0)!r}"
        for path in sorted((PROJECT_DIR / "models").rglob("*.sql"))
        for match in re.finditer(pattern, _sql(path.read_text()), flags=re.IGNORECASE)
    ]
    assert not found, f"write {NOT_PORTABLE[pattern]} instead of: {found}"


def test_contracts_name_types_every_engine_knows() -> None:
    found = [
        f"{path.relative_to(PROJECT_DIR)}: {line.strip()}"
        for path in sorted((PROJECT_DIR / "models").rglob("*.yml"))
        for line in path.read_text().splitlines()
        if re.search(r"data_type:\s*double\s*[},]?\s*$|as double\)", line)
    ]
    assert not found, f"write `double precision` instead of `double`: {found}"
