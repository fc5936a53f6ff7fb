{#-
    Engine-specific SQL behind one name each (adapter.dispatch): `default__` is ANSI SQL
    (PostgreSQL runs it), an engine's own version only where it has a faster or needed form.
-#}

{#- An 8-byte float. dbt.type_float() is 4 bytes on DuckDB (`float`), so the project names its own. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'streamgauge')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}

{#-
    A character string of any length. Spark has no `varchar` without a length: its `string`.
    Contracts, seeds and source_columns() write `varchar`, which spark_type() translates.
-#}
{% macro type_varchar() -%}
    {{ return(adapter.dispatch('type_varchar', 'streamgauge')()) }}
{%- endmacro %}

{% macro default__type_varchar() -%}
    varchar
{%- endmacro %}

{% macro spark__type_varchar() -%}
    string
{%- endmacro %}

{#- A type as the project writes it (contracts, seeds, source_columns) in Spark's words. -#}
{% macro spark_type(data_type) -%}
    {%- set name = data_type | trim | lower -%}
    {%- if name in ('varchar', 'text', 'character varying') -%}string
    {%- elif name == 'double precision' -%}double
    {%- elif name == 'integer' -%}int
    {%- else -%}{{ data_type }}
    {%- endif -%}
{%- endmacro %}

{#-
    `expression` (a double) rounded to `digits` decimals, as a double. PostgreSQL rounds only
    numerics to a number of digits; DuckDB rounds the double itself.
-#}
{% macro round_double(expression, digits) -%}
    {{ return(adapter.dispatch('round_double', 'streamgauge')(expression, digits)) }}
{%- endmacro %}

{% macro default__round_double(expression, digits) -%}
    cast(round(cast({{ expression }} as numeric), {{ digits }}) as {{ type_double() }})
{%- endmacro %}

{% macro duckdb__round_double(expression, digits) -%}
    round({{ expression }}, {{ digits }})
{%- endmacro %}

{#- Spark rounds the double half up at its decimal digits, as PostgreSQL's numeric does. -#}
{% macro spark__round_double(expression, digits) -%}
    round({{ expression }}, {{ digits }})
{%- endmacro %}

{#-
    Every model's post-hook: on PostgreSQL a new table has no statistics until autovacuum comes by,
    and the planner, guessing one row, chose nested loops that took minutes (flow_forecast,
    forecast_backtest). DuckDB needs none.
-#}
{% macro analyze_table() -%}
    {{ return(adapter.dispatch('analyze_table', 'streamgauge')()) }}
{%- endmacro %}

{% macro default__analyze_table() -%}
    {%- if model.config.materialized in ('table', 'incremental') -%}analyze {{ this }}{%- endif -%}
{%- endmacro %}

{% macro duckdb__analyze_table() -%}
{%- endmacro %}

{#- Spark plans from the files it reads; `analyze table` would scan every table once more. -#}
{% macro spark__analyze_table() -%}
{%- endmacro %}

{#-
    Closes a subquery whose computed columns must be computed before an outer join uses them.
    PostgreSQL otherwise folds the subquery into the join and, misjudging the cost, evaluates
    the expression as a nested loop's filter for every pair (flow_forecast: minutes instead of
    seconds). `offset 0` keeps the subquery whole there; other engines plan it well as it is.
-#}
{% macro planning_fence() -%}
    {{ return(adapter.dispatch('planning_fence', 'streamgauge')()) }}
{%- endmacro %}

{% macro default__planning_fence() -%}
{%- endmacro %}

{% macro postgres__planning_fence() -%}
    offset 0
{%- endmacro %}

{#-
    Every model's pre-hook. PostgreSQL estimates a window's `row_number() = 1` filter (staging's
    deduplication) at a fraction of a percent of the rows, and on those guesses nests loops over
    hundreds of thousands of rows: at 100,000 work items int_status_transitions_unioned ran for
    over ten minutes. With no index to loop over, hash and merge joins are the right ones for every
    model here, so nested loops are off for the model's session.
-#}
{% macro planner_settings() -%}
    {{ return(adapter.dispatch('planner_settings', 'streamgauge')()) }}
{%- endmacro %}

{% macro default__planner_settings() -%}
{%- endmacro %}

{% macro postgres__planner_settings() -%}
    set enable_nestloop = off
{%- endmacro %}

{#-
    The work-item chain's materialization: incremental (delete+insert by work item) where the
    engine deletes rows, a table rebuilt in full on Spark, whose parquet tables take no deletes
    (without Delta Lake): every build there recomputes the whole history, as --full-refresh does.
-#}
{% macro incremental_or_table() -%}
    {{ return('table' if target.type == 'spark' else 'incremental') }}
{%- endmacro %}

{#- One row per `delimiter`-separated part of `expression`: a set-returning expression for a select list. -#}
{% macro split_to_rows(expression, delimiter) -%}
    {{ return(adapter.dispatch('split_to_rows', 'streamgauge')(expression, delimiter)) }}
{%- endmacro %}

{% macro default__split_to_rows(expression, delimiter) -%}
    unnest(string_to_array({{ expression }}, '{{ delimiter }}'))
{%- endmacro %}

{#- split() takes a regular expression: the delimiter is quoted as one. -#}
{% macro spark__split_to_rows(expression, delimiter) -%}
    explode(split({{ expression }}, '\Q{{ delimiter }}\E'))
{%- endmacro %}

{#-
    `percentile_cont(fraction) within group (order by expression)`. DuckDB finds a percentile by
    selection, once per aggregate: where a query takes several fractions of one expression, the
    caller lists them all (`among`), and DuckDB computes them in one aggregate, which it evaluates
    once however often it is written; each call takes its element. The values are the same.
-#}
{% macro percentile(fraction, expression, among=none) -%}
    {{ return(adapter.dispatch('percentile', 'streamgauge')(fraction, expression, among)) }}
{%- endmacro %}

{% macro default__percentile(fraction, expression, among) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__percentile(fraction, expression, among) -%}
    {%- if not among -%}
    {{ default__percentile(fraction, expression, among) }}
    {%- elif fraction not in among -%}
    {{ exceptions.raise_compiler_error("percentile: " ~ fraction ~ " is not among " ~ among) }}
    {%- else -%}
    (quantile_cont({{ expression }}, [{{ among | join(', ') }}]))[{{ among.index(fraction) + 1 }}]
    {%- endif -%}
{%- endmacro %}

{#-
    dbt-duckdb's listagg is an ordered string_agg, which sorts inside every group: the links of
    300k pull requests took 0.40 s that way and 0.06 s collected and sorted as one list. The
    project's calls order by the aggregated value itself (as on Spark, macros/spark.sql).
-#}
{% macro duckdb__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if limit_num -%}{{ exceptions.raise_compiler_error("listagg on DuckDB takes no limit") }}{%- endif -%}
    {%- if listagg_sorts(measure, order_by_clause) -%}
    array_to_string(list_sort(list({{ measure }}) filter (where {{ measure }} is not null)), {{ delimiter_text }})
    {%- else -%}
    string_agg({{ measure }}, {{ delimiter_text }})
    {%- endif -%}
{%- endmacro %}

{#- Whether a listagg sorts (by the aggregated value itself, the only order the project's versions take). -#}
{% macro listagg_sorts(measure, order_by_clause) -%}
    {%- set ordered_by = (order_by_clause or '') | replace('order by', '') | trim -%}
    {%- if ordered_by and ordered_by != measure | trim -%}
        {{ exceptions.raise_compiler_error("listagg orders by the value only, not by " ~ ordered_by) }}
    {%- endif -%}
    {{ return(ordered_by != '') }}
{%- endmacro %}
