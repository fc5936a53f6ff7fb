{#-
    Where dbt-spark's own macros give wrong results, the project's versions (dbt looks in the
    project first for `spark__` macros of dbt's namespace).
-#}

{#-
    dbt-spark writes `interval * multiplier` without parentheses, so dateadd('day', n - 1, d) adds
    n - 1 * 1 days, and dateadd('week', n - 1, d) n - 1 * 7 days. Dates stay dates and
    timestamps timestamps, as on the other engines.
-#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    {%- set offset = '(' ~ interval ~ ')' -%}
    {%- if datepart == 'day' -%}
        {{ spark_add_days(from_date_or_timestamp, offset) }}
    {%- elif datepart == 'week' -%}
        {{ spark_add_days(from_date_or_timestamp, offset ~ ' * 7') }}
    {%- elif datepart in ('month', 'quarter', 'year') -%}
        {%- set months = {'month': 1, 'quarter': 3, 'year': 12}[datepart] -%}
        (cast({{ from_date_or_timestamp }} as timestamp) + make_interval(0, cast({{ offset }} * {{ months }} as int)))
    {%- elif datepart in ('hour', 'minute', 'second') -%}
        (cast({{ from_date_or_timestamp }} as timestamp) + make_dt_interval(0, 0, 0, cast({{ offset }} as bigint) * {{ {'hour': 3600, 'minute': 60, 'second': 1}[datepart] }}))
    {%- elif datepart == 'millisecond' -%}
        timestamp_micros(unix_micros(cast({{ from_date_or_timestamp }} as timestamp)) + cast({{ offset }} as bigint) * 1000)
    {%- else -%}
        {{ exceptions.raise_compiler_error("dateadd: no datepart '" ~ datepart ~ "' on Spark") }}
    {%- endif -%}
{%- endmacro %}

{#- A date or timestamp plus n days, as a timestamp (what DuckDB and PostgreSQL return). -#}
{% macro spark_add_days(value, days) -%}
    (cast({{ value }} as timestamp) + make_dt_interval(cast({{ days }} as int)))
{%- endmacro %}

{#-
    dbt-spark ignores listagg's order (collect_list keeps whatever order the rows arrived in).
    The project's calls order by the aggregated value itself, so the collected values are sorted.
-#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- set is_sorted = listagg_sorts(measure, order_by_clause) -%}
    {%- set collected = 'array_sort(collect_list(' ~ measure ~ '))' if is_sorted else 'collect_list(' ~ measure ~ ')' -%}
    {%- if limit_num -%}{%- set collected = 'slice(' ~ collected ~ ', 1, ' ~ limit_num ~ ')' -%}{%- endif -%}
    array_join({{ collected }}, {{ delimiter_text }})
{%- endmacro %}

{#- Casts name types as the project writes them (contracts: varchar, double precision). -#}
{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ spark_type(type) }})
{%- endmacro %}

{#- Seeds: column types in Spark's words. -#}
{% macro spark__create_csv_table(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}
    {% set sql %}
        create table {{ this.render() }} (
            {%- for col_name in agate_table.column_names -%}
                {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
                {{ adapter.quote_seed_column(col_name, quote_seed_column) }} {{ spark_type(type) }}
                {%- if not loop.last %}, {% endif -%}
            {%- endfor -%}
        )
        {{ file_format_clause() }}
        {{ partition_cols(label="partitioned by") }}
        {{ clustered_cols(label="clustered by") }}
        {{ location_clause() }}
        {{ comment_clause() }}
    {% endset %}
    {% call statement('_') -%}
        {{ sql }}
    {%- endcall %}
    {{ return(sql) }}
{% endmacro %}

{#-
    Seeds: dbt-spark's session mode pastes values into the SQL unquoted-safe (`Won't Do` breaks
    the statement). Values are written as literals here; a text holding a quote or a backslash
    as its UTF-8 bytes in hex, which no string-literal setting can misread.
-#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {% set sql %}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    {%- set type = spark_type(column_override.get(agate_table.column_names[loop.index0], adapter.convert_type(agate_table, loop.index0))) -%}
                    cast({{ spark_literal(value) }} as {{ type }}){{ ', ' if not loop.last }}
                {%- endfor -%}){{ ',' if not loop.last }}
            {% endfor %}
        {% endset %}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first %}{% do statements.append(sql) %}{% endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}

{% macro spark_literal(value) -%}
    {%- if value is none -%}null
    {%- elif value is sameas true or value is sameas false -%}{{ 'true' if value else 'false' }}
    {%- elif value is number -%}{{ value }}
    {%- else -%}
        {%- set text = value | string -%}
        {%- if "'" in text or '\\' in text -%}
            decode(unhex('{{ text.encode('utf-8').hex() }}'), 'UTF-8')
        {%- else -%}
            '{{ text }}'
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#-
    dbt-spark escapes the delimiter with a backslash written for Spark's default string literals;
    with the literals as written (profiles.yml), that split on a backslash and a '#'. The
    delimiter is quoted as a regular expression here; out of range gives '' as on the others.
-#}
{% macro spark__split_part(string_text, delimiter_text, part_number) -%}
    coalesce(element_at(split({{ string_text }}, concat('\Q', {{ delimiter_text }}, '\E')), {{ part_number }}), '')
{%- endmacro %}
