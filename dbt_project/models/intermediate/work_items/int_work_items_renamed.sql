{{ config(materialized="table") }}  {#- read by every model of the work-item chain -#}
{#-
    The GitHub items whose repository's name resolves otherwise than when the work-item chain last
    stored them: a repository renamed since, whose untouched issues no load reads again, or a
    name first known now (the item's id comes from it). Compared with int_work_items_enriched, the
    chain's item table (core.work_items), as it stands before this build, read by name: a ref
    would be a cycle, as the chain reads this model. A night that stopped before that table was
    rebuilt leaves the names there, and the next build recomputes the items again. Every
    incremental model of the chain recomputes these items as if a load had brought them
    (is_changed_item). Empty before the table exists, and on Spark, whose chain is rebuilt in full.
-#}
{%- set stored = load_relation(api.Relation.create(
    database=this.database, schema=this.schema, identifier='int_work_items_enriched'
)) if execute and target.type != 'spark' else none %}
with github as (
    select
        {{ canonical_id('work_item', 'github', 'repository_id', 'issue_number') }} as work_item_id,
        repository as project_key
    from {{ ref('stg_github__issues') }}
)

select github.work_item_id
from github
{%- if stored is not none %}
left join {{ stored }} as stored on github.work_item_id = stored.work_item_id
where github.work_item_id is not null and (stored.work_item_id is null or github.project_key <> stored.project_key)
{%- else %}
where 1 = 0
{%- endif %}
