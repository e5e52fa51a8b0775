// Types of the HTTP API v1 contract (shared with the API service).

export type Role = 'owner' | 'admin' | 'editor' | 'viewer';
export const ROLES: Role[] = ['owner', 'admin', 'editor', 'viewer'];
export type Plan = 'starter' | 'pro' | 'enterprise';
export type Platform = 'google_rsa' | 'google_pmax' | 'meta';
export const PLATFORMS: Platform[] = ['google_rsa', 'google_pmax', 'meta'];
export const PLATFORM_LABELS: Record<Platform, string> = {
  google_rsa: 'Google Search (RSA)',
  google_pmax: 'Google Performance Max',
  meta: 'Meta',
};
export type Objective = 'awareness' | 'traffic' | 'leads' | 'sales' | 'app_installs';
export const OBJECTIVES: Objective[] = ['awareness', 'traffic', 'leads', 'sales', 'app_installs'];
export type CreativeKind = 'copy' | 'image' | 'video';
export type CreativeStatus = 'draft' | 'approved' | 'rejected' | 'archived';
export const CREATIVE_STATUSES: CreativeStatus[] = ['draft', 'approved', 'rejected', 'archived'];
export const RATIOS = ['1:1', '4:5', '9:16', '1.91:1', '16:9'] as const;
export const IMAGE_RATIOS = ['1:1', '4:5', '9:16', '1.91:1'] as const;
export const VIDEO_RATIOS = ['9:16', '1:1', '4:5', '16:9'] as const;
export type ApiKeyScope = 'read' | 'generate' | 'metrics:write' | 'admin';
export const API_KEY_SCOPES: ApiKeyScope[] = ['read', 'generate', 'metrics:write', 'admin'];

export interface ErrorDetail {
  field: string;
  problem: string;
}
export interface ErrorBody {
  error: { code: string; message: string; details?: ErrorDetail[] };
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface Me {
  uid: string;
  email: string;
  tenant_id: string | null;
  role: Role | null;
  brand_ids: string[] | null;
}

export type Counters = Record<string, number>;
export interface Tenant {
  id: string;
  name: string;
  plan: Plan;
  created_at?: string;
  usage: Counters;
  quotas: Counters;
}
export const PLANS: Plan[] = ['starter', 'pro', 'enterprise'];
export interface TenantPatch {
  name?: string;
  plan?: Plan;
}
export interface TenantDeletionAccepted {
  tenant_id: string;
  status: 'deleting';
}
export interface Usage {
  usage: Counters;
  quotas: Counters;
  [k: string]: unknown;
}

export interface Member {
  uid: string;
  email: string;
  role: Role;
  brand_ids?: string[] | null;
  display_name?: string | null;
}

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  status: string;
  brand_ids?: string[] | null;
  tenant_name?: string;
}

export interface ApiKey {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
  prefix: string;
  created_at?: string;
  last_used_at?: string | null;
  revoked?: boolean;
}
export interface NewApiKey extends ApiKey {
  key: string;
}

export const TONES = ['professional', 'friendly', 'playful', 'bold', 'luxury'] as const;
export interface BrandKit {
  /** null when empty (the API rejects an empty string) */
  voice: string | null;
  tone: string;
  example_ads: string[];
  banned_words: string[];
  required_phrases: string[];
  colors: string[];
  fonts: string[];
}
export interface BrandInput {
  name: string;
  kit: BrandKit;
}
export interface Brand extends BrandInput {
  id: string;
  logo_url?: string | null;
  logo_path?: string | null;
  created_at?: string;
  updated_at?: string;
}

export interface CampaignInput {
  brand_id: string;
  name: string;
  objective: Objective;
  offer: string;
  product_facts: string[];
  /** optional: omitted from the payload when empty */
  landing_url?: string;
  audiences: string[];
  platforms: Platform[];
  languages: string[];
}
export interface Campaign extends CampaignInput {
  id: string;
  /** The learning loop (absent on older campaigns: off). */
  loop?: LoopSettings;
  created_at?: string;
  updated_at?: string;
}

export type LoopMode = 'off' | 'suggest' | 'auto';
export interface LoopSettings {
  mode: LoopMode;
  /** automatic regenerate jobs per day (UTC) at most */
  daily_cap: number;
}
export type LoopStatus = 'pending' | 'suggested' | 'dismissed' | 'started' | 'undone';
/** A losing or fatigued creative the loop suggests replacing, or replaced on its own. */
export interface LoopCandidate {
  id: string;
  campaign_id: string;
  brand_id: string;
  creative_id: string;
  reason: 'experiment_loser' | 'fatigue';
  summary: string;
  evidence?: Record<string, unknown>;
  status: LoopStatus;
  automatic: boolean;
  held_back?: 'daily_cap' | 'quota' | 'not_replaceable' | null;
  job_id: string;
  replaced_status?: string | null;
  started_by?: { type: string; id: string | null; email?: string | null } | null;
  undone_by?: { type: string; id: string | null; email?: string | null } | null;
  created_at: string;
  updated_at: string;
}

/** One attribute's estimated effect (GET /v1/campaigns/{id}/insights). */
export interface InsightEffect {
  feature: string;
  label: string;
  /** relative change of the rate, 0.12 = +12% */
  relative_effect: number;
  /** simultaneous interval at the response's level, relative */
  interval: [number, number];
  prob_positive: number;
  creatives_with: number;
  creatives_without: number;
  /** the interval excludes zero */
  confident: boolean;
  summary: string;
}
export interface CampaignInsights {
  campaign_id: string;
  metric: 'ctr' | 'cvr' | 'conversions_per_impression';
  level: number;
  creatives: number;
  baseline_rate: number | null;
  status: 'ok' | 'insufficient_data';
  reason: string;
  effects: InsightEffect[];
  start: string;
  end: string;
}

export interface Violation {
  field: string;
  rule: string;
  message: string;
  severity: 'error' | 'warning' | string;
  /** [start, end) in Unicode code points of the text as written (Array.from(text)). */
  span?: [number, number] | null;
  /** The policy page the rule comes from. */
  source?: string | null;
}
export interface ComplianceSummary {
  compliant: boolean;
  errors: number;
  warnings: number;
  by_rule: Record<string, number>;
  special_ad_categories: string[];
}
export type CopyFields = Record<string, string[] | string>;
export interface CopyVariant {
  id: string;
  fields: CopyFields;
  violations: Violation[];
  limits: Record<string, number>;
  scores?: Record<string, number>;
  compliant: boolean;
  compliance?: ComplianceSummary;
  notes?: string[];
}
export interface CopyRequest {
  platform: Platform;
  language?: string;
  audience?: string;
  seed?: number;
}
export interface CopyResult {
  creative_ids: string[];
  variants: CopyVariant[];
  engine: string;
  model: string;
  prompt_version: string;
}

export interface Asset {
  ratio: string;
  width: number;
  height: number;
  /** Contract field; assets without it are shown as "no preview". */
  url?: string | null;
  content_type: string;
  duration_s?: number | null;
}
export interface Creative {
  id: string;
  kind: CreativeKind;
  status: CreativeStatus;
  campaign_id: string;
  brand_id?: string;
  platform?: Platform | null;
  engine?: string;
  ratio?: string | null;
  fields?: CopyFields;
  /** The backend's name for `fields` (normalised into `fields` by the client). */
  content?: CopyFields;
  ratios?: string[];
  review?: { comment?: string | null } | null;
  assets?: Asset[];
  violations?: Violation[];
  review_comment?: string | null;
  job_id?: string | null;
  created_at?: string;
}
export type BrandAssetKind = 'product' | 'lifestyle' | 'logo' | 'clip';
export interface BrandAsset {
  id: string;
  brand_id: string;
  kind: BrandAssetKind;
  variants: string[];
  tags: string[];
  caption: string;
  rights: 'owned' | 'licensed';
  licensed_until?: string | null;
  mime_type: string;
  width: number;
  height: number;
  duration_s?: number | null;
  near_duplicates: string[];
  notes: string[];
  url?: string | null;
  thumbnail_url?: string | null;
  created_at?: string;
}
export interface BrandAssetUpload {
  kind: BrandAssetKind;
  tags?: string;
  caption?: string;
  licensed_until?: string;
  filename?: string;
}
export interface BrandAssetPatch {
  tags?: string[];
  caption?: string;
  rights?: 'owned' | 'licensed';
  licensed_until?: string | null;
}
export interface CreativeFilters {
  brand_asset_id?: string;
  campaign_id?: string;
  brand_id?: string;
  platform?: string;
  kind?: string;
  status?: string;
  ratio?: string;
  engine?: string;
}

export type JobKind = 'image_set' | 'video' | 'copy_batch';
export type JobStatus =
  | 'queued'
  | 'planning'
  | 'running'
  | 'assembling'
  | 'succeeded'
  | 'partially_succeeded'
  | 'failed'
  | 'cancelled';
export const TERMINAL_JOB_STATUSES: JobStatus[] = ['succeeded', 'partially_succeeded', 'failed', 'cancelled'];
export interface JobRequest {
  kind: JobKind;
  variants?: number;
  ratios?: string[];
  duration_s?: number;
  ratio?: string;
  scenes?: number;
}
export interface JobCounts {
  total: number;
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  cancelled: number;
}
export interface Job {
  id: string;
  tenant_id?: string;
  campaign_id: string;
  kind: JobKind;
  status: JobStatus;
  phase?: string | null;
  counts: JobCounts;
  eta_s?: number | null;
  error?: string | { code?: string; message?: string } | null;
  /** Creatives made by the job (a video's final creative appears here after assembling). */
  creative_ids?: string[];
  created_at?: unknown;
  updated_at?: unknown;
}
export interface JobItem {
  id: string;
  status: 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled' | string;
  error_reason?: string | null;
  creative_id?: string | null;
  ratio?: string | null;
  index?: number;
  kind?: 'image' | 'scene' | 'copy' | string;
}

export interface SearchHit {
  creative: Creative;
  score: number;
}

// ------------------------------------------------------------------------------ experiments
export type ExperimentMetric = 'ctr' | 'cvr' | 'cpa' | 'roas' | 'conversions_per_impression';
export const EXPERIMENT_METRICS: { value: ExperimentMetric; label: string }[] = [
  { value: 'ctr', label: 'CTR (clicks per impression)' },
  { value: 'cvr', label: 'Conversion rate (conversions per click)' },
  { value: 'cpa', label: 'CPA (cost per conversion, lower is better)' },
  { value: 'roas', label: 'ROAS (conversion value per cost)' },
  { value: 'conversions_per_impression', label: 'Conversions per impression' },
];
export type ExperimentOutcome = 'insufficient_data' | 'blocked' | 'inconclusive' | 'losers' | 'winner';
export interface ExperimentArmResult {
  arm_id: string;
  label: string;
  mean: number | null;
  low: number | null;
  high: number | null;
  prob_best: number;
  expected_loss: number | null;
  relative_loss: number | null;
  allocation: number;
  status: 'winner' | 'loser' | 'open';
  days_to_settle?: number | null;
}
export interface ExperimentDecision {
  outcome: ExperimentOutcome;
  reason: string;
  winner: string | null;
  losers: string[];
  metric: ExperimentMetric;
  arms: ExperimentArmResult[];
  srm_p_value: number | null;
  runtime_days: number;
  window_start: string | null;
  window_end: string | null;
  engine_version: string;
  seed: number;
  input_hash: string;
}
export interface ExperimentArm {
  arm_id: string;
  label: string;
  creative_id: string;
  asset_key?: string | null;
  platform?: string | null;
}
export interface Experiment {
  id: string;
  campaign_id: string;
  brand_id: string;
  name: string;
  arms: ExperimentArm[];
  metric: ExperimentMetric;
  guardrails: ExperimentMetric[];
  status: 'running' | 'stopped' | 'archived';
  start_date: string;
  decision: ExperimentDecision | null;
}
export interface ExperimentInput {
  campaign_id: string;
  name: string;
  metric: ExperimentMetric;
  arms: { creative_id: string; label?: string }[];
  guardrails?: ExperimentMetric[];
  /** YYYY-MM-DD: the first day whose performance counts (default: today, UTC). */
  start_date?: string;
}

// ---------------------------------------------------------------- performance and exports
export interface RowProblem {
  line: number;
  reason: string;
}
export interface MetricImport {
  id: string;
  tenant_id: string;
  status: 'uploaded' | 'parsing' | 'applying' | 'succeeded' | 'failed';
  filename: string;
  bytes: number;
  platform?: string | null;
  kind?: string | null;
  rows_total: number;
  rows_matched: number;
  facts_total: number;
  facts_written: number;
  facts_unchanged: number;
  chunks_total: number;
  chunks_done: number;
  skipped_totals: number;
  problem_count: number;
  problems: RowProblem[];
  warnings: string[];
  error?: string | null;
}
export interface Rates {
  ctr: number | null;
  cvr: number | null;
  cpc_micros: number | null;
  cpa_micros: number | null;
  roas: number | null;
}
export interface Totals {
  platform: string | null;
  attribution: string | null;
  currency: string | null;
  impressions: number;
  clicks: number;
  conversions_micros: number;
  conversion_value_micros: number;
  cost_micros: number;
  days: number;
  conversions: number;
  rates: Rates;
}
export interface Overall {
  impressions: number;
  clicks: number;
  ctr: number | null;
  currencies: string[];
  attributions: string[];
  combined: Totals | null;
}
export interface DailyFact {
  subject: string;
  platform: string;
  date: string;
  attribution: string;
  currency: string | null;
  impressions: number;
  clicks: number;
  conversions_micros: number;
  conversion_value_micros: number;
  cost_micros: number;
  reach: number | null;
}
export interface CreativePerformance {
  creative_id: string;
  totals: Totals[];
  overall: Overall;
  daily: DailyFact[];
  assets: { asset_key: string; field: string; text: string | null; asset_id: string | null; performance_label: string | null; totals: Totals[] }[];
}
export interface CampaignPerformance {
  campaign_id: string;
  totals: Totals[];
  overall: Overall;
  daily: { date: string; totals: Totals[] }[];
  creatives: { creative_id: string; totals: Totals[]; overall: Overall }[];
}
export type ExportFormat = 'google_rsa' | 'google_pmax' | 'meta';
export type ExportEncoding = 'utf16_tsv' | 'utf8_csv';
export interface ExportPlan {
  format: ExportFormat;
  filename: string;
  included: string[];
  excluded: { creative_id: string; reasons: string[] }[];
  warnings: { creative_id: string; reasons: string[] }[];
  media_files: number;
  media_bytes: number;
}
