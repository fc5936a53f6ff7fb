
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
        select * from "new"."raw_gitlab"."merge_requests" where id is null

  
  
      
    ) dbt_internal_test