
    
      
    

    create  table
      "new"."core"."pull_request_work_items__dbt_tmp"
  
  (
    pull_request_id varchar not null,
    work_item_id varchar not null,
    source_system varchar,
    reference varchar,
    found_in varchar,
    is_closing boolean,
    refreshed_at timestamp
    
    )
 ;
    
    
    insert into "new"."core"."pull_request_work_items__dbt_tmp" 
  (
    
      
      
      pull_request_id ,
    
      
      
      work_item_id ,
    
      
      
      source_system ,
    
      
      
      reference ,
    
      
      
      found_in ,
    
      
      
      is_closing ,
    
      
      
      refreshed_at 
    
  )
 (
      
    select pull_request_id, work_item_id, source_system, reference, found_in, is_closing, refreshed_at
    from (
        with links as (
    select * from "new"."intermediate"."int_pull_request_work_items_linked"
),

pull_requests as (
    select pull_request_id, source_system from "new"."intermediate"."int_pull_requests_unioned"
)

select
    links.pull_request_id,
    links.work_item_id,
    pull_requests.source_system,
    links.reference,
    links.found_in,
    links.is_closing,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from links
inner join pull_requests on links.pull_request_id = pull_requests.pull_request_id
    ) as model_subq
    );
  