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
