
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select period_start, team, stage, count(*) as occurrences
    from "new"."marts"."stage_bottlenecks"
    group by period_start, team, stage
    having count(*) > 1

  
  
      
    ) dbt_internal_test