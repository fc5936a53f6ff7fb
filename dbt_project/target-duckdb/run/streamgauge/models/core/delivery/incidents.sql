
    
      
    

    create  table
      "new"."core"."incidents__dbt_tmp"
  
  (
    incident_id varchar not null primary key,
    source_system varchar,
    repository varchar,
    service varchar,
    project_key varchar,
    title varchar,
    severity varchar,
    url varchar,
    created_at timestamp,
    resolved_at timestamp,
    is_resolved boolean,
    time_to_restore_hours double precision,
    caused_by_deployment_id varchar,
    attribution_method varchar,
    attribution_reference varchar,
    _dlt_load_id varchar,
    refreshed_at timestamp
    
    )
 ;
    
    
    insert into "new"."core"."incidents__dbt_tmp" 
  (
    
      
      
      incident_id ,
    
      
      
      source_system ,
    
      
      
      repository ,
    
      
      
      service ,
    
      
      
      project_key ,
    
      
      
      title ,
    
      
      
      severity ,
    
      
      
      url ,
    
      
      
      created_at ,
    
      
      
      resolved_at ,
    
      
      
      is_resolved ,
    
      
      
      time_to_restore_hours ,
    
      
      
      caused_by_deployment_id ,
    
      
      
      attribution_method ,
    
      
      
      attribution_reference ,
    
      
      
      _dlt_load_id ,
    
      
      
      refreshed_at 
    
  )
 (
      
    select incident_id, source_system, repository, service, project_key, title, severity, url, created_at, resolved_at, is_resolved, time_to_restore_hours, caused_by_deployment_id, attribution_method, attribution_reference, _dlt_load_id, refreshed_at
    from (
        with incidents as (
    select * from "new"."intermediate"."int_incidents_unioned"
),

attributed as (
    select * from "new"."intermediate"."int_incidents_attributed"
),

deployments as (
    select deployment_id, repository from "new"."intermediate"."int_deployments_unioned"
)

select
    incidents.incident_id,
    incidents.source_system,
    -- a Jira incident has no repository of its own: the one of the deployment it is blamed on
    coalesce(incidents.repository, deployments.repository) as repository,
    incidents.service,
    incidents.project_key,
    incidents.title,
    incidents.severity,
    incidents.url,
    incidents.created_at,
    incidents.resolved_at,
    incidents.resolved_at is not null as is_resolved,
    case
        when incidents.resolved_at >= incidents.created_at
            then 
        (date_diff('second', incidents.created_at::timestamp, incidents.resolved_at::timestamp ))
     / 3600.0e0
    end as time_to_restore_hours,
    attributed.caused_by_deployment_id,
    attributed.attribution_method,
    attributed.attribution_reference,
    incidents._dlt_load_id,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from incidents
inner join attributed on incidents.incident_id = attributed.incident_id
left join deployments on attributed.caused_by_deployment_id = deployments.deployment_id
    ) as model_subq
    );
  