{{ config(materialized="table") }}
{#-
    Which pull request references which work item: the references found in PR titles, bodies
    and branches, resolved against the work items that exist (a reference to nothing, such as
    `#12` naming another pull request, links nothing).

    `#123` resolves in the PR's own repository; `owner/repo#123` in that repository (on GitHub
    by its current name or any it had), on the PR's own source first, else on the other one; a
    Jira key on any Jira site that has it, as its current key or one it had before it moved to
    another project (Jira redirects old keys); a Linear identifier (the same form) likewise,
    current or one of the issue's previous ones.
    Materialized: core.pull_requests, core.pull_request_work_items, core.deployments and (through
    int_work_item_pull_requests_aggregated) core.work_items read it.
-#}
with pull_requests as (
    select pull_request_id, source_system, repository from {{ ref('int_pull_requests_unioned') }}
),

found as (
    select * from {{ ref('int_pull_request_references_extracted') }}
),

work_items as (
    select work_item_id, source_system, item_key from {{ ref('int_work_items_unioned') }}
),

jira_keys as (
    -- Jira keys and Linear identifiers share one form (ABC-123), and both change when an item moves
    select work_item_id, item_key as jira_key from work_items where source_system in ('jira', 'linear')
    union
    select {{ canonical_id('work_item', 'linear', 'issues.instance', 'issues.issue_id') }}, previous.identifier
    from {{ ref('stg_linear__issue_previous_identifiers') }} as previous
    inner join {{ ref('stg_linear__issues') }} as issues on previous.issue_id = issues.issue_id
    union
    select {{ canonical_id('work_item', 'jira', 'issues.instance', 'issues.issue_id') }}, changelog.from_string
    from {{ ref('stg_jira__issue_changelog') }} as changelog
    inner join {{ ref('stg_jira__issues') }} as issues on changelog.issue_id = issues.issue_id
    where changelog.field = 'Key' and changelog.from_string is not null
),

candidates as (
    -- the source, repository and number a GitHub or GitLab reference names
    select
        found.pull_request_id,
        found.found_in,
        found.reference,
        found.is_closing,
        pull_requests.source_system,
        pull_requests.repository,
        substring(found.reference, 2) as number,
        1 as preference
    from found
    inner join pull_requests on found.pull_request_id = pull_requests.pull_request_id
    where found.reference_kind = 'local'

    union all

    select
        found.pull_request_id,
        found.found_in,
        found.reference,
        found.is_closing,
        systems.source_system,
        {{ dbt.split_part('found.reference', "'#'", 1) }},
        {{ dbt.split_part('found.reference', "'#'", 2) }},
        case when systems.source_system = pull_requests.source_system then 1 else 2 end
    from found
    inner join pull_requests on found.pull_request_id = pull_requests.pull_request_id
    cross join (select 'github' as source_system union all select 'gitlab') as systems
    where found.reference_kind = 'qualified'
),

candidate_ids as (
    -- the work item id (macros/canonical_id.sql) each names, lower-cased: a GitHub repository by
    -- any name it has had; a GitLab issue by its global id, found from its project and number
    select
        candidates.*,
        lower(case
            when candidates.source_system = 'gitlab'
                then {{ canonical_id('work_item', 'gitlab', 'gitlab_issues.instance', 'gitlab_issues.issue_id') }}
            else 'github:' || coalesce(cast(names.repository_id as {{ dbt.type_string() }}), candidates.repository)
                || ':issue:' || candidates.number
        end) as candidate_id
    from candidates
    left join (
        {#- in both joins the system is a join key: as a constant beside the keys it made DuckDB compare every pair -#}
        select 'github' as source_system, name, repository_id from {{ ref('stg_github__repository_names') }}
    ) as names
        on candidates.source_system = names.source_system and lower(candidates.repository) = names.name
    left join (
        select
            'gitlab' as source_system,
            lower(project_path) as repository,
            cast(issue_iid as {{ dbt.type_string() }}) as number,
            instance,
            issue_id
        from {{ ref('stg_gitlab__issues') }}
    ) as gitlab_issues
        on candidates.source_system = gitlab_issues.source_system
        and lower(candidates.repository) = gitlab_issues.repository
        and candidates.number = gitlab_issues.number
),

resolved as (
    select
        candidates.pull_request_id,
        work_items.work_item_id,
        candidates.found_in,
        candidates.reference,
        candidates.is_closing,
        candidates.preference
    from candidate_ids as candidates
    inner join work_items on lower(work_items.work_item_id) = candidates.candidate_id

    union all

    select
        found.pull_request_id,
        jira_keys.work_item_id,
        found.found_in,
        found.reference,
        found.is_closing,
        1
    from found
    inner join jira_keys on jira_keys.jira_key = found.reference
    where found.reference_kind = 'jira'
),

preferred as (
    -- `owner/repo#1` names one repository: it links on the PR's own source if it resolves there
    -- (preference 1, as every other reference), else on the other one. Only such a reference can
    -- have two: an anti-join, where a window over every resolved reference was the costliest step.
    select * from resolved where preference = 1
    union all
    select * from resolved as other
    where preference = 2 and not exists (
        select 1 from resolved as own
        where own.preference = 1 and own.pull_request_id = other.pull_request_id and own.reference = other.reference
    )
),

found_in_lists as (
    select
        pull_request_id,
        work_item_id,
        {{ dbt.listagg('found_in', "', '", "order by found_in") }} as found_in
    from (select distinct pull_request_id, work_item_id, found_in from preferred) as distinct_places
    group by pull_request_id, work_item_id
),

links as (
    select
        pull_request_id,
        work_item_id,
        min(reference) as reference,
        max(case when is_closing then 1 else 0 end) = 1 as is_closing
    from preferred
    group by pull_request_id, work_item_id
)

select
    links.pull_request_id,
    links.work_item_id,
    links.reference,
    found_in_lists.found_in,
    links.is_closing
from links
inner join found_in_lists
    on links.pull_request_id = found_in_lists.pull_request_id and links.work_item_id = found_in_lists.work_item_id
