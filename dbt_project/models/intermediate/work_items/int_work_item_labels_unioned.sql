{#- The labels each work item carries now, one row per label. -#}
with github as (
    select
        {{ canonical_id('work_item', 'github', 'issues.repository_id', 'issues.issue_number') }} as work_item_id,
        labels.label_name
    from {{ ref('stg_github__issue_labels') }} as labels
    inner join {{ ref('stg_github__issues') }} as issues on labels.issue_id = issues.issue_id
),

jira as (
    select
        {{ canonical_id('work_item', 'jira', 'issues.instance', 'issues.issue_id') }} as work_item_id,
        labels.label_name
    from {{ ref('stg_jira__issue_labels') }} as labels
    inner join {{ ref('stg_jira__issues') }} as issues on labels.issue_id = issues.issue_id
),

gitlab as (
    select
        {{ canonical_id('work_item', 'gitlab', 'issues.instance', 'issues.issue_id') }} as work_item_id,
        labels.label_name
    from {{ ref('stg_gitlab__issue_labels') }} as labels
    inner join {{ ref('stg_gitlab__issues') }} as issues on labels.issue_id = issues.issue_id
),

linear as (
    select
        {{ canonical_id('work_item', 'linear', 'issues.instance', 'issues.issue_id') }} as work_item_id,
        labels.label_name
    from {{ ref('stg_linear__issue_labels') }} as labels
    inner join {{ ref('stg_linear__issues') }} as issues on labels.issue_id = issues.issue_id
)

select * from github
union all
select * from linear
union all
select * from jira
union all
select * from gitlab
