{#-
    The rows of `relation` with `repository_id` and `current_repository`: GitHub rows carry the
    repository's name as read, and a renamed repository's older rows its former name. Ids are
    built from the id, and `repository` shows the current name, so a rename changes neither.
-#}
{% macro github_repository_resolved(relation) -%}
    select {{ relation }}.*, names.repository_id, names.repository as current_repository
    from {{ relation }}
    left join {{ ref('stg_github__repository_names') }} as names on lower({{ relation }}.repository) = names.name
{%- endmacro %}
