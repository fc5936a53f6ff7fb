{#-
    Data tests over the work items a build rewrote. The work-item chain's tables are kept per item
    (changed_items.sql): a row a night did not rewrite is the row an earlier night wrote and
    tested. A test whose `where` config is `rewritten_by_last_build(<model>)` checks, when
    STREAMGAUGE_DATA_TESTS is `rewritten`, only the items whose rows <model> last wrote (its
    column rebuilt_at, the build's start, newest). The nightly job sets it after a good night
    (orchestration/nightly_selection.py: a failed night's rows are read again until one succeeds);
    otherwise, as by hand and in the weekly job that checks every row, every item.

    dbt renders a test's `where` when it parses the project, and keeps it while the files are the
    same, so the condition is written here, when the test runs, as dbt's documentation suggests:
    `where` names the model, this macro reads the setting and finds its table.
-#}
{% macro get_where_subquery(relation) -%}
    {%- set condition = namespace(sql=config.get('where') or '') -%}
    {%- for model in modules.re.findall('rewritten_by_last_build\\((\\w+)\\)', condition.sql) -%}
        {%- set condition.sql = condition.sql | replace('rewritten_by_last_build(' ~ model ~ ')', rewritten_items(model)) -%}
    {%- endfor -%}
    {%- if condition.sql -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ condition.sql ~ ') dbt_subquery') -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}

{#- The items `model` (a table with rebuilt_at) last wrote, or every item. -#}
{% macro rewritten_items(model) -%}
    {%- if not execute -%}
        {{- return('1 = 1') -}}
    {%- endif -%}
    {%- set node = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
        | selectattr('name', 'equalto', model) | list | first -%}
    {%- if node is not defined -%}
        {{- exceptions.raise_compiler_error('rewritten_by_last_build(' ~ model ~ ') names no model of this project') -}}
    {%- endif -%}
    {%- if env_var('STREAMGAUGE_DATA_TESTS', '') != 'rewritten' -%}
        {{- return('1 = 1') -}}
    {%- endif -%}
    {%- set table = api.Relation.create(database=node.database, schema=node.schema, identifier=node.alias) -%}
    {#- a null key is no item's, and always read: a key test fails on it -#}
    {{- return('(work_item_id is null or work_item_id in (select work_item_id from ' ~ table
        ~ ' where rebuilt_at = (select max(rebuilt_at) from ' ~ table ~ ')))') -}}
{%- endmacro %}
