
    
      
    

    create  table
      "new"."marts"."dora_summary__dbt_tmp"
  
  (
    window_start date,
    window_end date,
    source_system varchar,
    repository varchar,
    team varchar,
    weeks_observed integer,
    deployments integer,
    deploy_days integer,
    deploy_days_per_week_p50 double precision,
    deploy_days_per_week_mean double precision,
    deploy_frequency_tier varchar,
    deployed_changes integer,
    lead_time_p50_hours double precision,
    lead_time_p85_hours double precision,
    lead_time_tier varchar,
    failed_deployments integer,
    change_failure_rate double precision,
    change_failure_rate_tier varchar,
    failed_deployment_recovery_p50_hours double precision,
    recovery_tier varchar,
    incidents_resolved integer,
    time_to_restore_p50_hours double precision,
    rework_rate double precision,
    as_of timestamp,
    refreshed_at timestamp
    
    )
 ;
    
    
    insert into "new"."marts"."dora_summary__dbt_tmp" 
  (
    
      
      
      window_start ,
    
      
      
      window_end ,
    
      
      
      source_system ,
    
      
      
      repository ,
    
      
      
      team ,
    
      
      
      weeks_observed ,
    
      
      
      deployments ,
    
      
      
      deploy_days ,
    
      
      
      deploy_days_per_week_p50 ,
    
      
      
      deploy_days_per_week_mean ,
    
      
      
      deploy_frequency_tier ,
    
      
      
      deployed_changes ,
    
      
      
      lead_time_p50_hours ,
    
      
      
      lead_time_p85_hours ,
    
      
      
      lead_time_tier ,
    
      
      
      failed_deployments ,
    
      
      
      change_failure_rate ,
    
      
      
      change_failure_rate_tier ,
    
      
      
      failed_deployment_recovery_p50_hours ,
    
      
      
      recovery_tier ,
    
      
      
      incidents_resolved ,
    
      
      
      time_to_restore_p50_hours ,
    
      
      
      rework_rate ,
    
      
      
      as_of ,
    
      
      
      refreshed_at 
    
  )
 (
      
    select window_start, window_end, source_system, repository, team, weeks_observed, deployments, deploy_days, deploy_days_per_week_p50, deploy_days_per_week_mean, deploy_frequency_tier, deployed_changes, lead_time_p50_hours, lead_time_p85_hours, lead_time_tier, failed_deployments, change_failure_rate, change_failure_rate_tier, failed_deployment_recovery_p50_hours, recovery_tier, incidents_resolved, time_to_restore_p50_hours, rework_rate, as_of, refreshed_at
    from (
        select "window_start", "window_end", "source_system", "repository", "team", "weeks_observed", "deployments", "deploy_days", "deploy_days_per_week_p50", "deploy_days_per_week_mean", "deploy_frequency_tier", "deployed_changes", "lead_time_p50_hours", "lead_time_p85_hours", "lead_time_tier", "failed_deployments", "change_failure_rate", "change_failure_rate_tier", "failed_deployment_recovery_p50_hours", "recovery_tier", "incidents_resolved", "time_to_restore_p50_hours", "rework_rate", "as_of", "refreshed_at"
from "new"."intermediate"."int_dora_window_tiered"
where scope = 'repository'
    ) as model_subq
    );
  