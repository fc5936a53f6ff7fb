{#-
    Work item references written in pull requests, one row per reference found, normalised:

    - `#123` in the title or body: issue 123 of the PR's own repository (`local`);
    - `owner/repo#123`, `group/sub/project#123`: issue 123 of that repository (`qualified`);
    - Jira keys `ABC-123` in the title, body or branch, in any case (`jira`, upper-cased);
    - a branch named `123-slug` or `feature/123-slug`: issue 123 of the PR's repository (`local`);
    - closing keywords (close(s|d), fix(es|ed), resolve(s|d)) before any of these (`is_closing`).
    `reference` is the normalised form (`#123`, `owner/repo#123`, `ABC-123`) the link step resolves.
-#}
with pull_requests as (
    select pull_request_id, source_system, repository, title, body, head_branch
    from {{ ref('int_pull_requests_unioned') }}
),

texts as (
    select pull_request_id, 'title' as found_in, title as content from pull_requests where title is not null
    union all
    select pull_request_id, 'body', body from pull_requests where body is not null
    union all
    select pull_request_id, 'branch', head_branch from pull_requests where head_branch is not null
),

local_matches as (
    select pull_request_id, found_in, {{ delivery_regex_matches('content', '(?:^|[^A-Za-z0-9_/&#])#[0-9]+') }} as matched
    from texts
    where found_in <> 'branch'
),

qualified_matches as (
    select pull_request_id, found_in, {{ delivery_regex_matches('content', '[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)+#[0-9]+') }} as matched
    from texts
    where found_in <> 'branch'
),

jira_matches as (
    select pull_request_id, found_in, {{ delivery_regex_matches('upper(content)', '(?:^|[^A-Z0-9_])[A-Z][A-Z0-9_]+-[0-9]+') }} as matched
    from texts
),

branch_matches as (
    select pull_request_id, found_in, {{ delivery_regex_matches('content', '(?:^|/)[0-9]+(?:[-_]|$)') }} as matched
    from texts
    where found_in = 'branch'
),

closing_matches as (
    select
        pull_request_id,
        {{ delivery_regex_matches(
            'content',
            '(?i)(?:^|[^a-z])(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?):?\\s+(?:(?:[a-z0-9_.-]+(?:/[a-z0-9_.-]+)+)?#[0-9]+|[a-z][a-z0-9_]+-[0-9]+)'
        ) }} as matched
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
        select pull_request_id, {{ delivery_regex_first('matched', '[^\\s:]+$') }} as reference_text
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
        '#' || {{ regex_replace_all('matched', '[^0-9]', '') }}
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
