
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
        select * from "new"."raw_jenkins"."jobs" where full_name is null

  
  
      
    ) dbt_internal_test