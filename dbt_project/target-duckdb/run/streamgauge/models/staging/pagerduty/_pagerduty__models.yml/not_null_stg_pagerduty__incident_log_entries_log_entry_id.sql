
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select log_entry_id
from "new"."staging"."stg_pagerduty__incident_log_entries"
where log_entry_id is null



  
  
      
    ) dbt_internal_test