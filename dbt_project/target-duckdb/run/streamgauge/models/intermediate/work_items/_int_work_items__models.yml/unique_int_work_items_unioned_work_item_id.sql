
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    work_item_id as unique_field,
    count(*) as n_records

from "new"."intermediate"."int_work_items_unioned"
where work_item_id is not null
group by work_item_id
having count(*) > 1



  
  
      
    ) dbt_internal_test