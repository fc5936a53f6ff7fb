
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    period_start as unique_field,
    count(*) as n_records

from "new"."marts"."pr_weekly_org"
where period_start is not null
group by period_start
having count(*) > 1



  
  
      
    ) dbt_internal_test