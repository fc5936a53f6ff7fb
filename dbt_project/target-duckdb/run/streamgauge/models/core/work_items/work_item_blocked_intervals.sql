
    
      
    

    create  table
      "new"."core"."work_item_blocked_intervals__dbt_tmp"
  
  (
    work_item_id varchar,
    block_number integer,
    blocked_from timestamp,
    blocked_to timestamp,
    duration_hours double precision,
    reasons varchar,
    refreshed_at timestamp
    
    )
 ;
    
    
    insert into "new"."core"."work_item_blocked_intervals__dbt_tmp" 
  (
    
      
      
      work_item_id ,
    
      
      
      block_number ,
    
      
      
      blocked_from ,
    
      
      
      blocked_to ,
    
      
      
      duration_hours ,
    
      
      
      reasons ,
    
      
      
      refreshed_at 
    
  )
 (
      
    select work_item_id, block_number, blocked_from, blocked_to, duration_hours, reasons, refreshed_at
    from (
        with blocked as (
    select * from "new"."intermediate"."int_blocked_intervals_merged"
)

select
    work_item_id,
    cast(block_number as integer) as block_number,
    blocked_from,
    blocked_to,
    
        (date_diff('second', blocked_from::timestamp, coalesce(blocked_to, cast('2026-11-02 00:00:00' as timestamp))::timestamp ))
     / 3600.0e0 as duration_hours,
    reasons,
    cast('2026-12-05 10:07:08' as timestamp) as refreshed_at
from blocked
    ) as model_subq
    );
  