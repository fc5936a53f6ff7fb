
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select period_start, team, count(*) as occurrences
    from "new"."marts"."predictability_monthly"
    group by period_start, team
    having count(*) > 1

  
  
      
    ) dbt_internal_test