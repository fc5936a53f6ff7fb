
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select source_system, project_key, status_raw, count(*) as occurrences
    from "new"."intermediate"."int_status_stage_mapping"
    group by source_system, project_key, status_raw
    having count(*) > 1

  
  
      
    ) dbt_internal_test