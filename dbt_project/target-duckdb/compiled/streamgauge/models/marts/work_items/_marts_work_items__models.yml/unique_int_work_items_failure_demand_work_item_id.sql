
    
    

select
    work_item_id as unique_field,
    count(*) as n_records

from "new"."intermediate"."int_work_items_failure_demand"
where work_item_id is not null
group by work_item_id
having count(*) > 1


