
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select * from "new"."core"."work_item_stage_intervals"
    where exited_at is not null and entered_at is not null and exited_at < entered_at

  
  
      
    ) dbt_internal_test