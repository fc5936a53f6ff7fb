
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
        select * from "new"."raw_github"."pull_request_reviews" where id is null

  
  
      
    ) dbt_internal_test