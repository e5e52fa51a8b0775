"""Analytics: performance data coming home (facts, rollups, report import) and experiments.

- `analytics.facts`: the fact store (one fact per subject, platform, date, attribution) and its
  read interface (`daily_facts`, `totals_for`, `campaign_totals`, `campaign_daily`).
- `analytics.rollups`: pure arithmetic on facts (sums, rates as ratios of sums, currency groups).
- `analytics.report_import`: parsing the reports marketers download (pure, no I/O).
- `analytics.matching`: mapping report rows to a tenant's creatives and assets.
- `analytics.imports`: the import pipeline (upload -> trigger -> parse -> chunks -> apply).
- `analytics.experiments`: experiments over the fact store (statistics, decisions).
"""
