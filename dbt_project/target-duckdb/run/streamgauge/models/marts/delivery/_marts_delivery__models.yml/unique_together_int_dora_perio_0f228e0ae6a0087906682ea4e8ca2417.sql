
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select grain, period_start, source_system, repository, count(*) as occurrences
    from "new"."intermediate"."int_dora_periods_measured"
    group by grain, period_start, source_system, repository
    having count(*) > 1

  
  
      
    ) dbt_internal_test