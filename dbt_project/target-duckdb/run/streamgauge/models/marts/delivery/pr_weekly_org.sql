
    
      
    

    create  table
      "new"."marts"."pr_weekly_org__dbt_tmp"
  
  (
    period_start date,
    is_complete boolean,
    prs_opened integer,
    prs_merged integer,
    prs_deployed integer,
    prs_merged_without_review integer,
    merged_without_review_rate double precision,
    bot_prs_merged integer,
    coding_hours_p50 double precision,
    pickup_hours_p50 double precision,
    review_hours_p50 double precision,
    deploy_hours_p50 double precision,
    pr_cycle_hours_p50 double precision,
    pr_cycle_hours_p85 double precision,
    as_of timestamp,
    refreshed_at timestamp
    
    )
 ;
    
    
    insert into "new"."marts"."pr_weekly_org__dbt_tmp" 
  (
    
      
      
      period_start ,
    
      
      
      is_complete ,
    
      
      
      prs_opened ,
    
      
      
      prs_merged ,
    
      
      
      prs_deployed ,
    
      
      
      prs_merged_without_review ,
    
      
      
      merged_without_review_rate ,
    
      
      
      bot_prs_merged ,
    
      
      
      coding_hours_p50 ,
    
      
      
      pickup_hours_p50 ,
    
      
      
      review_hours_p50 ,
    
      
      
      deploy_hours_p50 ,
    
      
      
      pr_cycle_hours_p50 ,
    
      
      
      pr_cycle_hours_p85 ,
    
      
      
      as_of ,
    
      
      
      refreshed_at 
    
  )
 (
      
    select period_start, is_complete, prs_opened, prs_merged, prs_deployed, prs_merged_without_review, merged_without_review_rate, bot_prs_merged, coding_hours_p50, pickup_hours_p50, review_hours_p50, deploy_hours_p50, pr_cycle_hours_p50, pr_cycle_hours_p85, as_of, refreshed_at
    from (
        select "period_start", "is_complete", "prs_opened", "prs_merged", "prs_deployed", "prs_merged_without_review", "merged_without_review_rate", "bot_prs_merged", "coding_hours_p50", "pickup_hours_p50", "review_hours_p50", "deploy_hours_p50", "pr_cycle_hours_p50", "pr_cycle_hours_p85", "as_of", "refreshed_at"
from "new"."intermediate"."int_pr_weeks_measured"
where scope = 'organisation'
    ) as model_subq
    );
  