{#-
    Pseudo-random whole numbers in [0, modulus) that depend only on their inputs: the Monte Carlo
    forecasts draw with them, so the same data and seed always give the same forecast.

    Integer arithmetic only, so every engine draws the same indexes and the forecasts are
    identical across engines (an engine's own hash differs from the next one's): the parts are
    folded into a key below the prime 2^31 - 1 (random_key), which three rounds of
    x·(x + 48271) + 12345 mod the prime then mix (random_index_of_key); every intermediate stays
    below 2^63. Measured in Python on 180,000 draws: uniform, no correlation from one day to the
    next, and sums of 14 draws with the variance of independent ones to within 1%.
    A caller computes the key as a column and the index from it in an outer query: each round
    reads x twice, so the key written inline would be repeated eight times.
-#}
{% macro random_key(parts) -%}
    {%- set key = namespace(sql='0') -%}
    {%- for part in parts -%}
        {%- set key.sql = '((' ~ key.sql ~ ') * 1000003 + cast(' ~ part ~ ' as bigint) + 1) % 2147483647' -%}
    {%- endfor -%}
    {{ key.sql }}
{%- endmacro %}

{% macro random_index_of_key(modulus, key) -%}
    {%- set mixed = namespace(sql=key) -%}
    {%- for round in range(3) -%}
        {%- set mixed.sql = '((' ~ mixed.sql ~ ') * ((' ~ mixed.sql ~ ') + 48271) + 12345) % 2147483647' -%}
    {%- endfor -%}
    ({{ mixed.sql }} % {{ modulus }})
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

{% macro spark__portable_random_index(modulus, parts) -%}
    (cast(conv(substr(md5(concat_ws(':', {% for part in parts %}cast({{ part }} as string){{ ', ' if not loop.last }}{% endfor %})), 1, 12), 16, 10) as bigint) % {{ modulus }})
{%- endmacro %}
