
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select pull_request_id, work_item_id, count(*) as occurrences
    from "new"."core"."pull_request_work_items"
    group by pull_request_id, work_item_id
    having count(*) > 1

  
  
      
    ) dbt_internal_test