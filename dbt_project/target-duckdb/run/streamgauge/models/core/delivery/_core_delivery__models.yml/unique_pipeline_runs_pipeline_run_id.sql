
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    pipeline_run_id as unique_field,
    count(*) as n_records

from "new"."core"."pipeline_runs"
where pipeline_run_id is not null
group by pipeline_run_id
having count(*) > 1



  
  
      
    ) dbt_internal_test