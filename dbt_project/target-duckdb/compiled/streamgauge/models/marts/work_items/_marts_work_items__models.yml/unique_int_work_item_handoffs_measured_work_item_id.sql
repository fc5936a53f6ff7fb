
    
    

select
    work_item_id as unique_field,
    count(*) as n_records

from "new"."intermediate"."int_work_item_handoffs_measured"
where work_item_id is not null
group by work_item_id
having count(*) > 1


