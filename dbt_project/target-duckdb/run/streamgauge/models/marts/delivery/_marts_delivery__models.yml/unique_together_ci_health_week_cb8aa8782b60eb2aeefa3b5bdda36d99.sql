
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select period_start, source_system, repository, workflow, count(*) as occurrences
    from "new"."marts"."ci_health_weekly"
    group by period_start, source_system, repository, workflow
    having count(*) > 1

  
  
      
    ) dbt_internal_test