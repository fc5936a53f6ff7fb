
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select * from "new"."core"."pull_requests"
    where deployed_at is not null and merged_at is not null and deployed_at < merged_at

  
  
      
    ) dbt_internal_test