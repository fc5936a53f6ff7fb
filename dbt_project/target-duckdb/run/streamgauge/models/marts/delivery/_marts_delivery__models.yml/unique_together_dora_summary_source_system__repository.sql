
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    select source_system, repository, count(*) as occurrences
    from "new"."marts"."dora_summary"
    group by source_system, repository
    having count(*) > 1

  
  
      
    ) dbt_internal_test