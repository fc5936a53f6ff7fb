
        select full_name, count(*) as occurrences
        from "new"."raw_github"."repository_names"
        where full_name is not null
        group by full_name
        having count(*) > 1
