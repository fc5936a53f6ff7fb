
    

    create  table
      "new"."marts"."flow_monthly_org__dbt_tmp"
  
    
    as (
      select "period_start", "is_complete", "first_day", "last_day", "throughput", "arrivals", "starts", "discarded", "average_wip", "lead_time_p50_hours", "lead_time_p85_hours", "lead_time_p95_hours", "cycle_time_p50_hours", "cycle_time_p85_hours", "cycle_time_p95_hours", "cycle_time_p50_days", "cycle_time_p85_days", "cycle_time_p95_days", "flow_efficiency", "lead_flow_efficiency", "blocked_share", "handoffs_per_completed_item", "feature_share", "feature_wip_share", "defect_share", "defect_wip_share", "risk_share", "risk_wip_share", "debt_share", "debt_wip_share", "as_of", "refreshed_at"
from "new"."intermediate"."int_flow_periods_measured"
where grain = 'month' and scope = 'organisation'
    );
    
  