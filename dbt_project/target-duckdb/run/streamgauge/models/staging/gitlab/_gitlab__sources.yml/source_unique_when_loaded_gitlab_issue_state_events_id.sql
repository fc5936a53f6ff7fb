
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
        select id, count(*) as occurrences
        from "new"."raw_gitlab"."issue_state_events"
        where id is not null
        group by id
        having count(*) > 1

  
  
      
    ) dbt_internal_test