
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select work_item_id, stage, count(*) as occurrences
    from "new"."marts"."flow_stage_time"
    group by work_item_id, stage
    having count(*) > 1

  
  
      
    ) dbt_internal_test