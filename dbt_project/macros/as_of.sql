{#- "Now" for ages and open intervals: the var `as_of` when pinned, else the run's start (UTC). -#}
{% macro as_of() -%}
    {%- if var('as_of') -%}
        cast('{{ var("as_of") }}' as timestamp)
    {%- else -%}
        {{ refreshed_at() }}
    {%- endif -%}
{%- endmacro %}

{#- When this build started (UTC): every core and mart row's refreshed_at. -#}
{% macro refreshed_at() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp)
{%- endmacro %}
