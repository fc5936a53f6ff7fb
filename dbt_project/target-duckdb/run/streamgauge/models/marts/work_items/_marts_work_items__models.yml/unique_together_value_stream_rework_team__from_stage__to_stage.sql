
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select team, from_stage, to_stage, count(*) as occurrences
    from "new"."marts"."value_stream_rework"
    group by team, from_stage, to_stage
    having count(*) > 1

  
  
      
    ) dbt_internal_test