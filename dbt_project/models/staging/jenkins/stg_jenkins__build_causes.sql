with causes as (
    {{ source_columns('jenkins', 'builds__causes', {
        'cause_class': 'varchar', 'short_description': 'varchar', 'user_id': 'varchar',
        'upstream_project': 'varchar', 'upstream_build': 'bigint', '_dlt_list_idx': 'bigint',
        '_dlt_parent_id': 'varchar',
    }) }}
),

builds as (
    select * from {{ ref('stg_jenkins__builds') }}
)

select
    builds.build_key,
    causes._dlt_list_idx as position,
    causes.cause_class,
    -- replays and rebuilds run a build again: re-runs
    causes.cause_class like '%.ReplayCause' or causes.cause_class like '%.RebuildCause' as is_rerun,
    causes.short_description,
    causes.user_id,
    causes.upstream_project,
    causes.upstream_build
from causes
inner join builds on causes._dlt_parent_id = builds._dlt_id
