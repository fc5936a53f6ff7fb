
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    pull_request_id as unique_field,
    count(*) as n_records

from "new"."intermediate"."int_pull_request_deployments_linked"
where pull_request_id is not null
group by pull_request_id
having count(*) > 1



  
  
      
    ) dbt_internal_test