
    
    

select
    build_key as unique_field,
    count(*) as n_records

from "new"."intermediate"."int_jenkins_builds_mapped"
where build_key is not null
group by build_key
having count(*) > 1


