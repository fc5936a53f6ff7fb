
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select period_start, source_system, repository, count(*) as occurrences
    from "new"."marts"."pr_weekly"
    group by period_start, source_system, repository
    having count(*) > 1

  
  
      
    ) dbt_internal_test