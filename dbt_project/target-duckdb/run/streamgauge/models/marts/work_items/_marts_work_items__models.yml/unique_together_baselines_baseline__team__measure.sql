
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select baseline, team, measure, count(*) as occurrences
    from "new"."marts"."baselines"
    group by baseline, team, measure
    having count(*) > 1

  
  
      
    ) dbt_internal_test