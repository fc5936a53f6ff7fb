
    
    

select
    period_start as unique_field,
    count(*) as n_records

from "new"."marts"."dora_monthly_org"
where period_start is not null
group by period_start
having count(*) > 1


