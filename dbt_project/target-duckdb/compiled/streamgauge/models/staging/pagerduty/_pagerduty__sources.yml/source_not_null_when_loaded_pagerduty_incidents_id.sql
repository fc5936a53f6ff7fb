
        select * from "new"."raw_pagerduty"."incidents" where id is null
