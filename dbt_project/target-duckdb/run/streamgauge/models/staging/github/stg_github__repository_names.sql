
  
  create view "new"."staging"."stg_github__repository_names__dbt_tmp" as (
    -- The configured repositories' names of today, and every former name a rename left in the raw
-- rows: all resolve to the repository's id and current name.
with current_names as (
    select repository_id, repository from "new"."staging"."stg_github__repositories"
),

read_names as (
    
    select
        cast("full_name" as varchar) as "full_name",
        cast("id" as bigint) as "id"
    from "new"."raw_github"."repository_names"
),

-- A name given up by one repository and taken by another belongs to the one holding it today.
every_name as (
    select lower(repository) as name, repository_id, 0 as held_today from current_names
    union all
    select lower(full_name), id, 1 from read_names
),

ranked as (
    select
        name,
        repository_id,
        row_number() over (partition by name order by held_today, repository_id) as rank_of_name
    from every_name
)

select
    ranked.name,
    ranked.repository_id,
    current_names.repository
from ranked
inner join current_names on ranked.repository_id = current_names.repository_id
where ranked.rank_of_name = 1
  );
