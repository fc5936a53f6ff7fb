{{ config(schema="intermediate", materialized="table" if target.type == "spark" else "view") }}  {#- a step of failure_demand_monthly -#}
{#-
    Each work item's part in failure demand (metrics.md): is_incident (it is an incident),
    is_incident_linked (a pull request names it and an incident together: the fix or follow-up
    of that incident), is_defect (flow type defect, or an incident), is_failure_demand (a defect
    or linked to an incident), and is_production_defect (found in production: an incident, or a
    defect linked to one or labelled per `production_defect_label_regex`).
    A view (a table on Spark): its one reader aggregates it at once, and a table of every item
    cost a write of 1M rows a night at 1M items.
-#}
with items as (
    select work_item_id, flow_type, labels from {{ ref('work_items') }}
    where {{ flow_items_filter() }}
),

incidents as (
    select incident_id as work_item_id from {{ ref('incidents') }}
),

links as (
    select pull_request_id, work_item_id from {{ ref('pull_request_work_items') }}
),

incident_linked as (
    select distinct item_links.work_item_id
    from links as item_links
    inner join links as incident_links
        on item_links.pull_request_id = incident_links.pull_request_id
        and item_links.work_item_id <> incident_links.work_item_id
    inner join incidents on incident_links.work_item_id = incidents.work_item_id
),

item_labels as (
    select work_item_id, trim(label) as label
    from (select work_item_id, {{ split_to_rows('labels', ',') }} as label from items where labels is not null) as split
),

production_labelled as (
    select distinct work_item_id
    from item_labels
    where {{ regex_matches('label', var('production_defect_label_regex')) }}
),

flagged as (
    select
        items.work_item_id,
        incidents.work_item_id is not null as is_incident,
        incident_linked.work_item_id is not null as is_incident_linked,
        items.flow_type = 'defect' or incidents.work_item_id is not null as is_defect,
        production_labelled.work_item_id is not null as is_production_labelled
    from items
    left join incidents on items.work_item_id = incidents.work_item_id
    left join incident_linked on items.work_item_id = incident_linked.work_item_id
    left join production_labelled on items.work_item_id = production_labelled.work_item_id
)

select
    work_item_id,
    is_incident,
    is_incident_linked,
    is_defect,
    is_defect or is_incident_linked as is_failure_demand,
    is_incident or (is_defect and (is_incident_linked or is_production_labelled)) as is_production_defect
from flagged
