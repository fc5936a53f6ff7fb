
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    deployment_id as unique_field,
    count(*) as n_records

from "new"."intermediate"."int_deployments_unioned"
where deployment_id is not null
group by deployment_id
having count(*) > 1



  
  
      
    ) dbt_internal_test