with pull_requests as (
    select * from "new"."intermediate"."int_pull_requests_unioned"
),

reverts as (
    select
        pull_request_id,
        source_system,
        repository,
        title,
        merged_at,
        nullif(regexp_extract(body, '(?i)reverts?\s+(?:merge request\s+)?[A-Za-z0-9_./-]*[#!][0-9]{1,12}'), '') as named_pull_request,
        lower(nullif(regexp_extract(body, '(?i)reverts commit\s+[0-9a-fA-F]{7,40}'), '')) as named_commit
    from pull_requests
    where lower(title) like 'revert%' and merged_at is not null
),

candidates as (
    select reverts.pull_request_id as revert_pull_request_id, reverted.pull_request_id as reverted_pull_request_id,
        1 as trust, reverted.merged_at
    from reverts
    inner join pull_requests as reverted
        on reverted.source_system = reverts.source_system
        and lower(reverted.repository) = lower(coalesce(
            nullif(regexp_replace(reverts.named_pull_request, '^.*\\s([^\\s#!]*)[#!][0-9]+$', '\\1'), ''),
            reverts.repository
        ))
        and reverted.number = cast(regexp_replace(reverts.named_pull_request, '^.*[#!]', '') as bigint)
    where reverts.named_pull_request is not null

    union all

    select reverts.pull_request_id, reverted.pull_request_id, 2, reverted.merged_at
    from reverts
    inner join pull_requests as reverted
        on reverted.source_system = reverts.source_system
        and reverted.repository = reverts.repository
        and lower(reverted.merge_sha) like regexp_replace(reverts.named_commit, '^.*\\s', '') || '%'
    where reverts.named_commit is not null

    union all

    select reverts.pull_request_id, reverted.pull_request_id, 3, reverted.merged_at
    from reverts
    inner join pull_requests as reverted
        on reverted.source_system = reverts.source_system
        and reverted.repository = reverts.repository
        and reverts.title = 'Revert "' || reverted.title || '"'
        and reverted.merged_at < reverts.merged_at
),

ranked as (
    select
        *,
        row_number() over (
            partition by revert_pull_request_id order by trust, merged_at desc, reverted_pull_request_id
        ) as candidate_rank
    from candidates
    where revert_pull_request_id <> reverted_pull_request_id
)

select revert_pull_request_id, reverted_pull_request_id
from ranked
where candidate_rank = 1