
    
    

select
    transition_id as unique_field,
    count(*) as n_records

from "new"."core"."work_item_transitions"
where transition_id is not null
group by transition_id
having count(*) > 1


