
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select * from "new"."core"."work_items"
    where completed_at is not null and started_at is not null and completed_at < started_at

  
  
      
    ) dbt_internal_test