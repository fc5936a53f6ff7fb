
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with child as (
    select reverted_pull_request_id as from_field
    from "new"."core"."pull_requests"
    where reverted_pull_request_id is not null
),

parent as (
    select pull_request_id as to_field
    from "new"."core"."pull_requests"
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null



  
  
      
    ) dbt_internal_test