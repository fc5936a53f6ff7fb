
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    pull_request_id as unique_field,
    count(*) as n_records

from "new"."marts"."pr_cycle_time"
where pull_request_id is not null
group by pull_request_id
having count(*) > 1



  
  
      
    ) dbt_internal_test