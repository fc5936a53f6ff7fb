
        select * from "new"."raw_jira"."issues" where id is null
