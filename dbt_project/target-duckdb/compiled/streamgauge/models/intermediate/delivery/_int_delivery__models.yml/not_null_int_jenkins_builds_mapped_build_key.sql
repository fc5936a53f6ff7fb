
    
    



select build_key
from "new"."intermediate"."int_jenkins_builds_mapped"
where build_key is null


