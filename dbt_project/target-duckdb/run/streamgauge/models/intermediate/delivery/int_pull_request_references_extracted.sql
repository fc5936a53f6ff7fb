
  
  create view "new"."intermediate"."int_pull_request_references_extracted__dbt_tmp" as (
    with pull_requests as (
    select pull_request_id, source_system, repository, title, body, head_branch
    from "new"."intermediate"."int_pull_requests_unioned"
),

texts as (
    select pull_request_id, 'title' as found_in, title as content from pull_requests where title is not null
    union all
    select pull_request_id, 'body', body from pull_requests where body is not null
    union all
    select pull_request_id, 'branch', head_branch from pull_requests where head_branch is not null
),

local_matches as (
    select pull_request_id, found_in, unnest(regexp_extract_all(content, '(?:^|[^A-Za-z0-9_/&#])#[0-9]+')) as matched
    from texts
    where found_in <> 'branch'
),

qualified_matches as (
    select pull_request_id, found_in, unnest(regexp_extract_all(content, '[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)+#[0-9]+')) as matched
    from texts
    where found_in <> 'branch'
),

jira_matches as (
    select pull_request_id, found_in, unnest(regexp_extract_all(upper(content), '(?:^|[^A-Z0-9_])[A-Z][A-Z0-9_]+-[0-9]+')) as matched
    from texts
),

branch_matches as (
    select pull_request_id, found_in, unnest(regexp_extract_all(content, '(?:^|/)[0-9]+(?:[-_]|$)')) as matched
    from texts
    where found_in = 'branch'
),

closing_matches as (
    select
        pull_request_id,
        unnest(regexp_extract_all(content, '(?i)(?:^|[^a-z])(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?):?\s+(?:(?:[a-z0-9_.-]+(?:/[a-z0-9_.-]+)+)?#[0-9]+|[a-z][a-z0-9_]+-[0-9]+)')) as matched
    from texts
    where found_in <> 'branch'
),

closing_references as (
    -- the reference after the keyword, normalised like the others
    select distinct
        pull_request_id,
        case
            when reference_text like '#%' then reference_text
            when reference_text like '%#%' then lower(reference_text)
            else upper(reference_text)
        end as reference
    from (
        select pull_request_id, nullif(regexp_extract(matched, '[^\s:]+$'), '') as reference_text
        from closing_matches
    ) as stripped
),

found as (
    select
        pull_request_id,
        found_in,
        'local' as reference_kind,
        substring(matched, position('#' in matched)) as reference
    from local_matches

    union all

    select
        pull_request_id,
        found_in,
        'qualified',
        lower(matched)
    from qualified_matches

    union all

    select
        pull_request_id,
        found_in,
        'jira',
        case when substring(matched, 1, 1) between 'A' and 'Z' then matched else substring(matched, 2) end
    from jira_matches

    union all

    select
        pull_request_id,
        found_in,
        'local',
        '#' || regexp_replace(matched, '[^0-9]', '', 'g')
    from branch_matches
)

select distinct
    found.pull_request_id,
    found.found_in,
    found.reference_kind,
    found.reference,
    closing_references.reference is not null as is_closing
from found
left join closing_references
    on found.pull_request_id = closing_references.pull_request_id
    and found.reference = closing_references.reference
  );
