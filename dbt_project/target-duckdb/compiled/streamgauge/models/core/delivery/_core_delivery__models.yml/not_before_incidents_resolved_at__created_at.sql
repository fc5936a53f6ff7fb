
    select * from "new"."core"."incidents"
    where resolved_at is not null and created_at is not null and resolved_at < created_at
