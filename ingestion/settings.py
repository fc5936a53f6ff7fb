"""Settings that dlt would pass over in silence: a misspelt key of a source, a section that matches no source.

dlt reads `[sources.<name>]` in `.dlt/config.toml` and `.dlt/secrets.toml`, and `SOURCES__<NAME>__<KEY>`
environment variables, and ignores whatever else is there. A typo in an optional key then leaves
its default in force, and a misspelt section makes a source vanish from the run. Each such setting
gets one line here, with the nearest known name. Only names are read and shown, never values.
"""

from __future__ import annotations

import difflib
import inspect
import os
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import dlt

SECTION = "sources"


def unknown_settings(
    sources: Mapping[str, Callable], files: Iterable[Path] | None = None, environ: Mapping[str, str] = os.environ
) -> dict[str, list[str]]:
    """One line per setting no source reads, keyed by the source it names ("" for none).

    `sources` maps each source's name to its dlt source function, whose parameters are its
    settings; `files` are the TOML files to read, by default those dlt reads.
    """
    known = {name: sorted(inspect.signature(function).parameters) for name, function in sources.items()}
    lines: dict[str, list[str]] = defaultdict(list)
    for path in _setting_files() if files is None else files:
        for section, keys in _sections(tomllib.loads(Path(path).read_text())):
            name = section[1] if len(section) == 2 and section[0] == SECTION else ""
            if name in known:
                for key in keys:
                    if key not in [*known[name], name]:  # [sources.github.github] is dlt's too
                        nearest = _nearest(key, known[name])
                        lines[name].append(f"{name}: {key!r} in [sources.{name}] of {path} is not a setting; {nearest}")
            elif _looks_like_a_source(section, known):
                nearest = _nearest(section[-1], known, f"[{SECTION}.{{}}]")
                lines[""].append(f"settings: [{'.'.join(section)}] in {path} matches no source; {nearest}")
    for variable in sorted(environ):
        head, _, rest = variable.lower().partition("__")
        name, _, key = rest.partition("__")
        if head == SECTION and name in known and key:
            if key not in known[name] and key.removeprefix(f"{name}__") not in known[name]:
                nearest = _nearest(key, known[name], f"{variable.rsplit('__', 1)[0]}__{{}}", upper=True)
                lines[name].append(f"{name}: {variable} is not a setting; {nearest}")
        elif key and _looks_like_a_source((head, name), known):
            nearest = _nearest(name, known, f"{SECTION}__{{}}__{key}", upper=True)
            lines[""].append(f"settings: {variable} matches no source; {nearest}")
    return dict(lines)


def _setting_files() -> list[str]:
    """The TOML files dlt reads settings from (`.dlt/config.toml`, `.dlt/secrets.toml`) that exist."""
    return [path for provider in dlt.config.config_providers for path in getattr(provider, "present_locations", [])]


def _sections(document: dict, path: tuple[str, ...] = ()) -> Iterable[tuple[tuple[str, ...], list[str]]]:
    """Every table of a TOML document with the names of its plain keys, from the top."""
    yield path, [key for key, value in document.items() if not isinstance(value, dict)]
    for key, value in document.items():
        if isinstance(value, dict):
            yield from _sections(value, (*path, key))


def _looks_like_a_source(section: tuple[str, ...], known: Mapping[str, object]) -> bool:
    """`[source.github]`, `[sources.githb]`, `[github]`: meant for a source, read by none."""
    if len(section) == 1:
        return section[0] in known
    if len(section) != 2:
        return False
    head, name = section
    if head == SECTION:
        return name not in known
    return _close(head, SECTION) and (name in known or bool(difflib.get_close_matches(name, known, 1)))


def _close(word: str, to: str) -> bool:
    return difflib.SequenceMatcher(None, word, to).ratio() >= 0.75


def _nearest(word: str, candidates: Iterable[str], spelt: str = "{!r}", upper: bool = False) -> str:
    """`ignored; did you mean …?` with the closest candidate written into `spelt`, else every candidate."""
    spell = (lambda c: spelt.format(c).upper()) if upper else spelt.format
    match = difflib.get_close_matches(word, sorted(candidates), 1)
    if match:
        return f"ignored; did you mean {spell(match[0])}?"
    return f"ignored; known: {', '.join(spell(c) for c in sorted(candidates))}"
