
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with child as (
    select rolled_back_by_deployment_id as from_field
    from "new"."core"."deployments"
    where rolled_back_by_deployment_id is not null
),

parent as (
    select deployment_id as to_field
    from "new"."core"."deployments"
)

select
    from_field

from child
left join parent
    on child.from_field = parent.to_field

where parent.to_field is null



  
  
      
    ) dbt_internal_test