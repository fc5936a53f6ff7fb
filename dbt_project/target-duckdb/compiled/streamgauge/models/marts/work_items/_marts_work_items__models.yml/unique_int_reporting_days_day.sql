
    
    

select
    day as unique_field,
    count(*) as n_records

from "new"."intermediate"."int_reporting_days"
where day is not null
group by day
having count(*) > 1


