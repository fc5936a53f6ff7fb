
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select improvement, team, measure, count(*) as occurrences
    from "new"."marts"."improvement_impact"
    group by improvement, team, measure
    having count(*) > 1

  
  
      
    ) dbt_internal_test