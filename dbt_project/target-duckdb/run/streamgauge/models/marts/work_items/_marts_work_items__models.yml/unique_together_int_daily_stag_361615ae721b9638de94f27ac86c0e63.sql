
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select day, team, flow_type, stage, count(*) as occurrences
    from "new"."intermediate"."int_daily_stage_counts"
    group by day, team, flow_type, stage
    having count(*) > 1

  
  
      
    ) dbt_internal_test