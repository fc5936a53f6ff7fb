{#-
    Select `columns` (name → type) from a raw table that may not exist yet, or lack a column.

    dlt creates a table only once a source has loaded rows, and a column only once some row had
    a value; an unconfigured source has no tables at all. Staging must still build, so a missing
    table gives no rows and a missing column gives nulls of the declared type. Type `utc` reads
    a timestamp with time zone and returns the UTC instant as a plain timestamp; type `double`
    is an 8-byte float on every engine (type_double()); other types are used as written.
-#}
{% macro source_columns(source_name, table_name, columns) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- set present = [] -%}
    {%- set types = {} -%}
    {%- for name, type in columns.items() -%}
        {%- do types.update({name: type_double() if type == 'double' else type_varchar() if type == 'varchar' else type}) -%}
    {%- endfor -%}
    {%- if execute -%}
        {%- set existing = load_relation(relation) -%}
        {%- if existing is not none -%}
            {%- for column in adapter.get_columns_in_relation(existing) -%}
                {%- do present.append(column.name | lower) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endif %}
    select
    {%- for name, type in types.items() %}
        {% if name | lower in present -%}
            {%- if type == 'utc' -%}{{ utc(adapter.quote(name)) }}{%- else -%}cast({{ adapter.quote(name) }} as {{ type }}){%- endif -%}
        {%- else -%}
            cast(null as {{ 'timestamp' if type == 'utc' else type }})
        {%- endif %} as {{ adapter.quote(name) }}{{ "," if not loop.last }}
    {%- endfor %}
    {% if present -%}
    from {{ relation }}
    {%- else -%}
    from (select 1 as missing) as missing_table where 1 = 0
    {%- endif %}
{%- endmacro %}


{#- A timestamp with time zone as the UTC instant, without zone (what every model stores). -#}
{% macro utc(expression) -%}
    {{ return(adapter.dispatch('utc', 'streamgauge')(expression)) }}
{%- endmacro %}

{% macro default__utc(expression) -%}
    cast(cast({{ expression }} as timestamp with time zone) at time zone 'UTC' as timestamp)
{%- endmacro %}

{#- Spark's timestamp is an instant already, shown in the session's zone (UTC, profiles.yml). -#}
{% macro spark__utc(expression) -%}
    cast({{ expression }} as timestamp)
{%- endmacro %}
