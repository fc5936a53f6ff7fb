
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select period_start, team, size_band, count(*) as occurrences
    from "new"."marts"."pr_batch_size_monthly"
    group by period_start, team, size_band
    having count(*) > 1

  
  
      
    ) dbt_internal_test