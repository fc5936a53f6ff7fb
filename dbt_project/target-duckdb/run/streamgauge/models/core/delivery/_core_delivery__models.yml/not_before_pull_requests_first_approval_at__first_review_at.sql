
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select * from "new"."core"."pull_requests"
    where first_approval_at is not null and first_review_at is not null and first_approval_at < first_review_at

  
  
      
    ) dbt_internal_test