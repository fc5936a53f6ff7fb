{#-
    Counts negative spans (clock skew, rebased commits): metrics.md stores them as null, never
    clamped, and wants them counted. `spans` maps a span's name to [start column, end column];
    each failing row is one (row, span) whose end lies before its start. Warns by default: the
    data is what the sources say, and the count is the finding.
-#}
{% test negative_spans(model, key, spans) %}
    {{ config(severity='warn') }}
    {%- for name, bounds in spans.items() %}
    select {{ key }}, '{{ name }}' as span, {{ bounds[0] }} as span_start, {{ bounds[1] }} as span_end
    from {{ model }}
    where {{ bounds[1] }} < {{ bounds[0] }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{% endtest %}
