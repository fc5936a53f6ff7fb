{#-
    The columns of `relation`, in order, less `excluded`: what `select * exclude (...)` says in
    DuckDB, for every engine. A mart that shows one grain of a step model lists its columns this
    way instead of repeating them. The relation must exist when the mart compiles (it does in a
    build: it is upstream); at parse time this is `*`.
-#}
{% macro star_except(relation, excluded) -%}
    {%- if not execute -%}
        *
    {%- else -%}
        {%- set skipped = excluded | map('lower') | list -%}
        {%- set kept = [] -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- if column.name | lower not in skipped -%}
                {%- do kept.append(adapter.quote(column.name)) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if not kept -%}
            {{ exceptions.raise_compiler_error("star_except: " ~ relation ~ " has no columns; is it built?") }}
        {%- endif -%}
        {{ kept | join(', ') }}
    {%- endif -%}
{%- endmacro %}
