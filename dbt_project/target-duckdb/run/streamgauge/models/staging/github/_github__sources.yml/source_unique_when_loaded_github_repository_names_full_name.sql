
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
        select full_name, count(*) as occurrences
        from "new"."raw_github"."repository_names"
        where full_name is not null
        group by full_name
        having count(*) > 1

  
  
      
    ) dbt_internal_test