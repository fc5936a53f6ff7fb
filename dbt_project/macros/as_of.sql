{#-
    "Now" for ages and open intervals: the var `as_of` when pinned, else env STREAMGAUGE_AS_OF, else
    the run's start (UTC). The environment is read when a model runs, not while dbt parses the
    project: read there, a new as-of time each night made dbt parse again the 40 models that use
    it (2 s of every build that pins it).
-#}
{% macro as_of() -%}
    {%- set pinned = var('as_of') or (env_var('STREAMGAUGE_AS_OF', '') if execute else '') -%}
    {%- if pinned -%}
        cast('{{ pinned }}' as timestamp)
    {%- else -%}
        {{ refreshed_at() }}
    {%- endif -%}
{%- endmacro %}

{#- When this build started (UTC): every core and mart row's refreshed_at. -#}
{% macro refreshed_at() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp)
{%- endmacro %}
