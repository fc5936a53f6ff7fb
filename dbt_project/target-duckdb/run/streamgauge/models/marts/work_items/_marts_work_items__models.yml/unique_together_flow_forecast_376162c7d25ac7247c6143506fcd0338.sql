
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select team, question, horizon_days, item_count, confidence, count(*) as occurrences
    from "new"."marts"."flow_forecast"
    group by team, question, horizon_days, item_count, confidence
    having count(*) > 1

  
  
      
    ) dbt_internal_test