
    
      
    

    create  table
      "new"."marts"."dora_weekly_org__dbt_tmp"
  
  (
    period_start date,
    is_complete boolean,
    deployments integer,
    deploy_days integer,
    failed_deployments integer,
    change_failure_rate double precision,
    rework_deployments integer,
    rework_rate double precision,
    deployed_changes integer,
    lead_time_p50_hours double precision,
    lead_time_p85_hours double precision,
    merge_to_deploy_p50_hours double precision,
    recovered_deployments integer,
    failed_deployment_recovery_p50_hours double precision,
    incidents_resolved integer,
    time_to_restore_p50_hours double precision,
    as_of timestamp,
    refreshed_at timestamp
    
    )
 ;
    
    
    insert into "new"."marts"."dora_weekly_org__dbt_tmp" 
  (
    
      
      
      period_start ,
    
      
      
      is_complete ,
    
      
      
      deployments ,
    
      
      
      deploy_days ,
    
      
      
      failed_deployments ,
    
      
      
      change_failure_rate ,
    
      
      
      rework_deployments ,
    
      
      
      rework_rate ,
    
      
      
      deployed_changes ,
    
      
      
      lead_time_p50_hours ,
    
      
      
      lead_time_p85_hours ,
    
      
      
      merge_to_deploy_p50_hours ,
    
      
      
      recovered_deployments ,
    
      
      
      failed_deployment_recovery_p50_hours ,
    
      
      
      incidents_resolved ,
    
      
      
      time_to_restore_p50_hours ,
    
      
      
      as_of ,
    
      
      
      refreshed_at 
    
  )
 (
      
    select period_start, is_complete, deployments, deploy_days, failed_deployments, change_failure_rate, rework_deployments, rework_rate, deployed_changes, lead_time_p50_hours, lead_time_p85_hours, merge_to_deploy_p50_hours, recovered_deployments, failed_deployment_recovery_p50_hours, incidents_resolved, time_to_restore_p50_hours, as_of, refreshed_at
    from (
        select "period_start", "is_complete", "deployments", "deploy_days", "failed_deployments", "change_failure_rate", "rework_deployments", "rework_rate", "deployed_changes", "lead_time_p50_hours", "lead_time_p85_hours", "merge_to_deploy_p50_hours", "recovered_deployments", "failed_deployment_recovery_p50_hours", "incidents_resolved", "time_to_restore_p50_hours", "as_of", "refreshed_at"
from "new"."intermediate"."int_dora_periods_measured"
where grain = 'week' and scope = 'organisation'
    ) as model_subq
    );
  