
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select team, stage, count(*) as occurrences
    from "new"."marts"."value_stream_stages"
    group by team, stage
    having count(*) > 1

  
  
      
    ) dbt_internal_test