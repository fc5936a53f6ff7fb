{#-
    Day, week and month buckets in the var `reporting_timezone`. Stored timestamps are UTC
    instants without zone: `at time zone 'UTC'` makes them instants, `at time zone <zone>` gives
    the local wall-clock time (the same expression in DuckDB and PostgreSQL).
-#}
{% macro local_time(timestamp_utc) -%}
    {%- set zone = var('reporting_timezone') -%}
    {%- if zone | upper in ('UTC', 'ETC/UTC') -%}
        {{ timestamp_utc }}
    {%- else -%}
        {{ return(adapter.dispatch('local_time_in', 'streamgauge')(timestamp_utc, zone)) }}
    {%- endif -%}
{%- endmacro %}

{% macro default__local_time_in(timestamp_utc, zone) -%}
    cast(({{ timestamp_utc }} at time zone 'UTC') at time zone '{{ zone }}' as timestamp)
{%- endmacro %}

{% macro spark__local_time_in(timestamp_utc, zone) -%}
    from_utc_timestamp({{ timestamp_utc }}, '{{ zone }}')
{%- endmacro %}

{% macro reporting_date(timestamp_utc) -%}
    cast({{ local_time(timestamp_utc) }} as date)
{%- endmacro %}

{#- The reporting-time-zone bucket of a UTC timestamp: 'day', 'week' (ISO, Monday) or 'month', as a date. -#}
{% macro period_start(grain, timestamp_utc) -%}
    {%- if grain == 'day' -%}
        {{ reporting_date(timestamp_utc) }}
    {%- else -%}
        cast({{ dbt.date_trunc(grain, local_time(timestamp_utc)) }} as date)
    {%- endif -%}
{%- endmacro %}

{#- Hours that [a_start, a_end) and [b_start, b_end) share (0 when apart); null ends must be filled. -#}
{% macro overlap_hours(a_start, a_end, b_start, b_end) -%}
    greatest(
        0,
        {{ dbt.datediff(
            'greatest(' ~ a_start ~ ', ' ~ b_start ~ ')',
            'least(' ~ a_end ~ ', ' ~ b_end ~ ')',
            'second'
        ) }}
    ) / 3600.0e0
{%- endmacro %}

{#-
    The work items the flow marts count: none deleted upstream, and none completed by a bulk
    change unless the var says otherwise.
-#}
{% macro flow_items_filter(alias='') -%}
    {{ alias ~ '.' if alias }}deleted_at is null
    {%- if var('exclude_bulk_completions') %} and not {{ alias ~ '.' if alias }}completed_in_bulk{% endif -%}
{%- endmacro %}

{#-
    Whether the period of `grain` ('day', 'week', 'month') starting at the date `period_start`
    had ended by the as-of time: a chart that draws an incomplete period shows a fake drop.
-#}
{% macro is_complete(grain, period_start) -%}
    (cast({{ dbt.dateadd(grain, 1, period_start) }} as timestamp) <= {{ local_time(as_of()) }})
{%- endmacro %}
