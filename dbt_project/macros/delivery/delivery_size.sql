{#-
    A pull request's size band from its lines changed, by the var `pr_size_bands`: a list of
    [label, lowest lines changed] in ascending order; each band runs up to the next one's lowest
    minus one, the last is open. A PR with no line changed (a rename, a binary file) is in the
    first band; one whose size the source does not give (GitLab) has none.
-#}
{% macro pr_size_band(lines_changed) -%}
    {%- set bands = var('pr_size_bands') -%}
    case
        when {{ lines_changed }} is null then null
        {%- for band in bands | reverse %}
        {%- if not loop.last %}
        when {{ lines_changed }} >= {{ band[1] }} then '{{ band[0] }}'
        {%- else %}
        else '{{ band[0] }}'
        {%- endif %}
        {%- endfor %}
    end
{%- endmacro %}

{#- The bands as rows: size_band, size_band_order (1 = smallest), min_lines, max_lines (null: open). -#}
{% macro pr_size_band_rows() -%}
    {%- set bands = var('pr_size_bands') -%}
    {%- for band in bands %}
    select
        '{{ band[0] }}' as size_band,
        {{ loop.index }} as size_band_order,
        {{ band[1] }} as min_lines,
        {% if not loop.last %}{{ bands[loop.index][1] - 1 }}{% else %}cast(null as integer){% endif %} as max_lines
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
