{#-
    A pseudo-random whole number in [0, modulus) that depends only on its inputs: the Monte Carlo
    forecast draws with it, so the same data and seed always give the same forecast.
-#}
{% macro random_index(modulus, parts) -%}
    {{ return(adapter.dispatch('random_index', 'streamgauge')(modulus, parts)) }}
{%- endmacro %}

{% macro default__random_index(modulus, parts) -%}
    (abs(hashtextextended(concat_ws(':', {{ parts | join(', ') }}), 0)) % {{ modulus }})
{%- endmacro %}

{% macro duckdb__random_index(modulus, parts) -%}
    {#- hash() is unsigned 64-bit; mixed with signed numbers DuckDB widens to 128 bits, ~50x slower -#}
    (cast(hash({{ parts | join(', ') }}) >> 1 as bigint) % {{ modulus }})
{%- endmacro %}

{#-
    The same, identical on every engine: the first 48 bits of the MD5 of the parts joined by ':'
    (integers written as digits), so DuckDB, PostgreSQL or a test in Python draw the same indexes.
    Slower than the engine's own hash; improvement_impact draws with it so its intervals can be
    reproduced anywhere.
-#}
{% macro portable_random_index(modulus, parts) -%}
    {{ return(adapter.dispatch('portable_random_index', 'streamgauge')(modulus, parts)) }}
{%- endmacro %}

{% macro default__portable_random_index(modulus, parts) -%}
    (cast(cast(('x' || substr(md5(concat_ws(':', {{ parts | join(', ') }})), 1, 12)) as bit(48)) as bigint) % {{ modulus }})
{%- endmacro %}

{% macro duckdb__portable_random_index(modulus, parts) -%}
    (cast(('0x' || substr(md5(concat_ws(':', {{ parts | join(', ') }})), 1, 12)) as bigint) % {{ modulus }})
{%- endmacro %}
