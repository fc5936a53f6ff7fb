
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select improvement, team, measure, side, sample_index, count(*) as occurrences
    from "new"."marts"."improvement_samples"
    group by improvement, team, measure, side, sample_index
    having count(*) > 1

  
  
      
    ) dbt_internal_test