
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    select pull_request_id, 'coding' as span, first_commit_at as span_start, created_at as span_end
    from "new"."marts"."pr_cycle_time"
    where created_at < first_commit_at
    union all
    select pull_request_id, 'deploy' as span, merged_at as span_start, deployed_at as span_end
    from "new"."marts"."pr_cycle_time"
    where deployed_at < merged_at
    union all
    select pull_request_id, 'lead_time' as span, change_started_at as span_start, deployed_at as span_end
    from "new"."marts"."pr_cycle_time"
    where deployed_at < change_started_at
    

  
  
      
    ) dbt_internal_test