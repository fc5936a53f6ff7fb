
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select period_start, team, flow_type, count(*) as occurrences
    from "new"."marts"."flow_daily"
    group by period_start, team, flow_type
    having count(*) > 1

  
  
      
    ) dbt_internal_test