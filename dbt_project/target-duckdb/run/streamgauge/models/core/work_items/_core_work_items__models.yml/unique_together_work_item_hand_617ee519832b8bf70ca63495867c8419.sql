
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select work_item_id, handoff_at, event_order, count(*) as occurrences
    from "new"."core"."work_item_handoffs"
    group by work_item_id, handoff_at, event_order
    having count(*) > 1

  
  
      
    ) dbt_internal_test