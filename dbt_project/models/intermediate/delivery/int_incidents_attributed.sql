{{ config(materialized="table") }}
{#-
    The production deployment each incident is blamed on (metrics.md), one row per incident.

    1. An explicit reference in the incident's title or description wins, most specific first:
       a deployment id (`github:600000003:deployment:123`, or `deployment 123` with the native id),
       then a pull request (`#12`, `!12`, `owner/repo#12`: its deployment), then a commit sha (7 to
       40 hex characters: a deployment of that sha). Only successful production deployments of
       the incident's repository or service count. Several candidates: the latest one finished
       at or before the incident was created, else the earliest after.
    2. Otherwise `time`: the latest successful production deployment of the same repository
       (or, when the incident's repository has none, the same service) finished before the
       incident was created and at most `incident_attribution_hours` before it.
    3. Otherwise `unattributed`, with no deployment.
-#}
with incidents as (
    select * from {{ ref('int_incidents_unioned') }}
),

production as (
    select deployment_id, source_system, repository, service, native_id, sha, finished_at
    from {{ ref('int_deployments_unioned') }}
    where is_production and is_successful
),

pull_requests as (
    select pull_request_id, source_system, repository, number from {{ ref('int_pull_requests_unioned') }}
),

pr_deployments as (
    select * from {{ ref('int_pull_request_deployments_linked') }}
),

texts as (
    select
        incident_id,
        source_system,
        repository,
        service,
        created_at,
        coalesce(title, '') || ' ' || coalesce(description, '') as content
    from incidents
),

deployment_id_matches as (
    -- lowered outside: a set-returning expression may not sit inside another one (Spark)
    select incident_id, lower(matched) as matched
    from (
        select incident_id, {{ delivery_regex_matches('content', '(?:github|gitlab):[A-Za-z0-9_./-]+:(?:deployment|run|pipeline):[0-9]+') }} as matched
        from texts
    ) as found
),

native_deployment_matches as (
    select incident_id, {{ delivery_regex_matches('content', '(?i)deployment\\s*(?:id)?\\s*[:#]?\\s*[0-9]+') }} as matched
    from texts
),

pull_request_matches as (
    select incident_id, {{ delivery_regex_matches('content', '(?:[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)+)?[#!][0-9]{1,12}') }} as matched
    from texts
),

sha_matches as (
    select incident_id, {{ delivery_regex_matches('lower(content)', '(?:^|[^0-9a-z])[0-9a-f]{7,40}') }} as matched
    from texts
),

referenced_pull_requests as (
    -- `#12` and `!12` name a pull request of the incident's own repository; `path#12` of that path
    select
        matches.incident_id,
        matches.matched,
        case
            when position('#' in matches.matched) > 1 then lower(substring(matches.matched, 1, position('#' in matches.matched) - 1))
            when position('!' in matches.matched) > 1 then lower(substring(matches.matched, 1, position('!' in matches.matched) - 1))
            else lower(texts.repository)
        end as repository,
        cast(regexp_replace(matches.matched, '^.*[#!]', '') as bigint) as number
    from pull_request_matches as matches
    inner join texts on matches.incident_id = texts.incident_id
),

explicit_candidates as (
    select texts.incident_id, production.deployment_id, production.finished_at, 1 as priority,
        'deployment_id' as attribution_method, matches.matched as reference
    from deployment_id_matches as matches
    inner join texts on matches.incident_id = texts.incident_id
    inner join production on lower(production.deployment_id) = matches.matched

    union all

    select texts.incident_id, production.deployment_id, production.finished_at, 1,
        'deployment_id', matches.matched
    from native_deployment_matches as matches
    inner join texts on matches.incident_id = texts.incident_id
    inner join production on production.native_id = {{ regex_replace_all('matches.matched', '[^0-9]', '') }}

    union all

    select texts.incident_id, production.deployment_id, production.finished_at, 2,
        'pull_request', referenced.matched
    from referenced_pull_requests as referenced
    inner join texts on referenced.incident_id = texts.incident_id
    inner join pull_requests
        on lower(pull_requests.repository) = referenced.repository and pull_requests.number = referenced.number
    inner join pr_deployments on pull_requests.pull_request_id = pr_deployments.pull_request_id
    inner join production on pr_deployments.deployment_id = production.deployment_id

    union all

    select texts.incident_id, production.deployment_id, production.finished_at, 3,
        'sha', regexp_replace(matches.matched, '^[^0-9a-f]', '')
    from sha_matches as matches
    inner join texts on matches.incident_id = texts.incident_id
    inner join production
        on lower(production.sha) like regexp_replace(matches.matched, '^[^0-9a-f]', '') || '%'
),

explicit_in_scope as (
    select
        candidates.*,
        row_number() over (
            partition by candidates.incident_id
            order by
                candidates.priority,
                case when candidates.finished_at <= texts.created_at then 0 else 1 end,
                case when candidates.finished_at <= texts.created_at then candidates.finished_at end desc,
                candidates.finished_at,
                candidates.deployment_id
        ) as candidate_rank
    from explicit_candidates as candidates
    inner join texts on candidates.incident_id = texts.incident_id
    inner join production on candidates.deployment_id = production.deployment_id
    where production.repository = texts.repository or production.service = texts.service
),

scopes as (
    -- the repository when it deploys to production, else the service
    select
        incident_id,
        created_at,
        case when repository in (select repository from production) then repository end as repository,
        service
    from texts
),

time_candidates as (
    select
        scopes.incident_id,
        production.deployment_id,
        row_number() over (
            partition by scopes.incident_id order by production.finished_at desc, production.deployment_id desc
        ) as candidate_rank
    from scopes
    inner join production
        on (
            (scopes.repository is not null and production.repository = scopes.repository)
            or (scopes.repository is null and production.service = scopes.service)
        )
        and production.finished_at < scopes.created_at
        and {{ dbt.datediff('production.finished_at', 'scopes.created_at', 'second') }}
            <= {{ var('incident_attribution_hours') }} * 3600
)

select
    incidents.incident_id,
    coalesce(explicit.deployment_id, by_time.deployment_id) as caused_by_deployment_id,
    case
        when explicit.deployment_id is not null then explicit.attribution_method
        when by_time.deployment_id is not null then 'time'
        else 'unattributed'
    end as attribution_method,
    explicit.reference as attribution_reference
from incidents
left join explicit_in_scope as explicit
    on incidents.incident_id = explicit.incident_id and explicit.candidate_rank = 1
left join time_candidates as by_time
    on incidents.incident_id = by_time.incident_id and by_time.candidate_rank = 1
