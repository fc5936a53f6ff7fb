
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select * from "new"."core"."incidents"
    where resolved_at is not null and created_at is not null and resolved_at < created_at

  
  
      
    ) dbt_internal_test