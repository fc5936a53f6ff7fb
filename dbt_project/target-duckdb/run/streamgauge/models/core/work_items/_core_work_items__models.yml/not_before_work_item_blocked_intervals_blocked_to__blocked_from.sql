
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select * from "new"."core"."work_item_blocked_intervals"
    where blocked_to is not null and blocked_from is not null and blocked_to < blocked_from

  
  
      
    ) dbt_internal_test