
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select incident_id
from "new"."intermediate"."int_pagerduty_incidents_mapped"
where incident_id is null



  
  
      
    ) dbt_internal_test