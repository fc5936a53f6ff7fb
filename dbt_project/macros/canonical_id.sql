{#-
    The canonical id of an entity, `<source>:<instance>:<native id>`, so that sources and
    instances never collide: `jira:acme.atlassian.net:10042`, `github:1296269:issue:42`,
    `gitlab:gitlab.com:issue:5210`, `gitlab:acme/platform:mr:7`. A GitHub or GitLab number is
    unique only among one kind of thing in a repository, so its native id names the kind. A
    GitHub repository is named by its numeric id, which a rename or transfer keeps (its name is
    `repository`, and the item's `item_key` is `owner/repo#42` under the current name). A GitLab
    issue is named by its global id on its server (the host), which a renamed project keeps; its
    `item_key` is `group/project#7`. A Jira issue's id is its numeric
    issue id, unique on its site and kept when the issue moves to another project, where its
    key (PAY-19 → MOB-3) changes: the key is the item's `item_key`. A Linear issue's likewise: its
    UUID in its workspace (`linear:acme:<uuid>`), its identifier (GRO-12) the `item_key`.
    `instance` and `native_id` are SQL expressions; a null in either gives a null id. An
    incident's id is the work item id of its issue, or for a PagerDuty incident
    `pagerduty:acme.pagerduty.com:incident:PT4KHLK`. A Jenkins build is
    `jenkins:ci.example.com:build:releases/deploy#17` (job path and number).
-#}
{% macro canonical_id(entity, source_system, instance, native_id) -%}
    {%- set kinds = {
        'work_item': {'github': 'issue', 'gitlab': 'issue', 'jira': '', 'linear': ''},
        'pull_request': {'github': 'pr', 'gitlab': 'mr'},
        'review': {'github': 'review', 'gitlab': 'note'},
        'pipeline_run': {'github': 'run', 'gitlab': 'pipeline', 'jenkins': 'build'},
        'deployment': {'github': 'deployment', 'gitlab': 'deployment', 'jenkins': 'deployment'},
        'incident': {'pagerduty': 'incident'},
    } -%}
    {%- if source_system not in kinds.get(entity, {}) -%}
        {{ exceptions.raise_compiler_error("canonical_id: no " ~ entity ~ " id for source " ~ source_system) }}
    {%- endif -%}
    {%- set kind = kinds[entity][source_system] -%}
    '{{ source_system }}:' || {{ instance }} || ':{{ kind ~ ":" if kind else "" }}' || cast({{ native_id }} as {{ type_varchar() }})
{%- endmacro %}
