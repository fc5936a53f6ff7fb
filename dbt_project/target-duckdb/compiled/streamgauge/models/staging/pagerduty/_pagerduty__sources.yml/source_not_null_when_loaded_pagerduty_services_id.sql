
        select * from "new"."raw_pagerduty"."services" where id is null
