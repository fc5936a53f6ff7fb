
  
  create view "new"."intermediate"."int_reporting_days__dbt_tmp" as (
    with bounds as (
    select
        min(cast(created_at as date)) as first_day,
        cast(cast('2026-11-02 00:00:00' as timestamp) as date) as last_day
    from "new"."core"."work_items"
),

days as (
    


    


    with rawdata as (

        
    select
        generate_series as generated_number
    from generate_series(1, 36525)


    ),

    all_periods as (

        select (
            

    (cast('2000-01-01' as date) + cast(row_number() over (order by 1) - 1 as bigint) * interval 1 day)
        ) as date_day
        from rawdata

    ),

    filtered as (

        select *
        from all_periods
        where date_day <= cast('2100-01-01' as date)

    )

    select * from filtered


)

select cast(days.date_day as date) as day
from days
cross join bounds
where cast(days.date_day as date) between bounds.first_day and bounds.last_day
  );
