
        select * from "new"."raw_pagerduty"."incident_log_entries" where id is null
