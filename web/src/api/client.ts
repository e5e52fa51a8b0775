// The one typed client for the AdGenius HTTP API v1. Every data action of the app goes here.
import type * as T from './types';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: T.ErrorDetail[];
  constructor(status: number, code: string, message: string, details: T.ErrorDetail[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** Accepts the backend's field names too (content, ratios[], review.comment). */
export function normalizeCreative(c: T.Creative): T.Creative {
  if (!c || typeof c !== 'object') return c;
  return {
    ...c,
    fields: c.fields ?? c.content,
    ratio: c.ratio ?? c.ratios?.[0] ?? null,
    review_comment: c.review_comment ?? c.review?.comment ?? null,
  };
}

export interface ApiOptions {
  baseUrl: string;
  /** Returns the current Firebase ID token (or null when signed out). */
  getToken: () => Promise<string | null>;
  fetch?: typeof fetch;
}

type Query = Record<string, string | number | undefined | null>;
interface RequestOptions {
  query?: Query;
  body?: unknown;
  rawBody?: Blob;
  contentType?: string;
  headers?: Record<string, string>;
  idempotent?: boolean;
}
interface Response_<R> {
  data: R;
  etag: string | null;
}

function newKey(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export function buildUrl(baseUrl: string, path: string, query?: Query): string {
  const base = baseUrl.replace(/\/+$/, '');
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  }
  const s = qs.toString();
  return `${base}${path}${s ? `?${s}` : ''}`;
}

export function createApi(opts: ApiOptions) {
  const doFetch = opts.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));

  async function request<R>(method: string, path: string, o: RequestOptions = {}): Promise<Response_<R>> {
    const headers: Record<string, string> = { Accept: 'application/json', ...(o.headers ?? {}) };
    const token = await opts.getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    let body: BodyInit | undefined;
    if (o.rawBody) {
      body = o.rawBody;
      headers['Content-Type'] = o.contentType ?? o.rawBody.type ?? 'application/octet-stream';
    } else if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['Content-Type'] = 'application/json';
    }
    if (o.idempotent) headers['Idempotency-Key'] = newKey();
    let res: Response;
    try {
      res = await doFetch(buildUrl(opts.baseUrl, path, o.query), { method, headers, body });
    } catch (e) {
      throw new ApiError(0, 'network_error', `Cannot reach the API (${(e as Error).message}).`);
    }
    const text = await res.text();
    let json: unknown = null;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
    }
    if (!res.ok) {
      const err = (json as T.ErrorBody | null)?.error;
      throw new ApiError(
        res.status,
        err?.code ?? `http_${res.status}`,
        err?.message ?? `Request failed with HTTP ${res.status}.`,
        Array.isArray(err?.details) ? err!.details! : [],
      );
    }
    return { data: json as R, etag: res.headers.get('ETag') };
  }
  const get = async <R>(path: string, query?: Query) => (await request<R>('GET', path, { query })).data;
  const post = async <R>(path: string, body?: unknown, idempotent = false) =>
    (await request<R>('POST', path, { body: body ?? {}, idempotent })).data;
  const patch = async <R>(path: string, body: unknown, headers?: Record<string, string>) =>
    (await request<R>('PATCH', path, { body, headers })).data;
  const del = async (path: string) => {
    await request<unknown>('DELETE', path);
  };
  const enc = encodeURIComponent;

  return {
    request,
    me: () => get<T.Me>('/v1/me'),
    createTenant: (body: { name: string; plan?: T.Plan }) => post<T.Tenant>('/v1/tenants', body, true),
    tenant: () => get<T.Tenant>('/v1/tenant'),
    usage: () => get<T.Usage>('/v1/usage'),
    /** Owners: rename the workspace and/or change its plan (quotas follow at once). */
    updateTenant: (body: T.TenantPatch) => patch<T.Tenant>('/v1/tenant', body),
    /** Owners: delete the workspace; `confirm` repeats its exact name. Answers 202, purge runs later. */
    deleteTenant: async (confirm: string) =>
      (await request<T.TenantDeletionAccepted>('DELETE', '/v1/tenant', { body: { confirm } })).data,

    listMembers: () => get<T.Page<T.Member>>('/v1/members'),
    updateMember: (uid: string, body: { role?: T.Role; brand_ids?: string[] | null }) =>
      patch<T.Member>(`/v1/members/${enc(uid)}`, body),
    removeMember: (uid: string) => del(`/v1/members/${enc(uid)}`),

    listInvitations: () => get<T.Page<T.Invitation>>('/v1/invitations'),
    createInvitation: (body: { email: string; role: T.Role; brand_ids?: string[] }) =>
      post<T.Invitation>('/v1/invitations', body, true),
    acceptInvitation: (id: string) => post<unknown>(`/v1/invitations/${enc(id)}/accept`),
    deleteInvitation: (id: string) => del(`/v1/invitations/${enc(id)}`),

    listApiKeys: () => get<T.Page<T.ApiKey>>('/v1/api-keys'),
    createApiKey: (body: { name: string; scopes: T.ApiKeyScope[] }) => post<T.NewApiKey>('/v1/api-keys', body, true),
    revokeApiKey: (id: string) => del(`/v1/api-keys/${enc(id)}`),

    listBrands: (q?: { limit?: number; cursor?: string }) => get<T.Page<T.Brand>>('/v1/brands', q),
    getBrand: (id: string) => get<T.Brand>(`/v1/brands/${enc(id)}`),
    createBrand: (body: T.BrandInput) => post<T.Brand>('/v1/brands', body, true),
    updateBrand: (id: string, body: Partial<T.BrandInput>) => patch<T.Brand>(`/v1/brands/${enc(id)}`, body),
    deleteBrand: (id: string) => del(`/v1/brands/${enc(id)}`),
    uploadLogo: async (id: string, file: Blob) =>
      (
        await request<{ logo_url: string; logo_path: string }>('PUT', `/v1/brands/${enc(id)}/logo`, {
          rawBody: file,
          contentType: file.type,
        })
      ).data,

    listBrandAssets: (brandId: string, q?: { kind?: T.BrandAssetKind; tag?: string }) =>
      get<T.Page<T.BrandAsset>>(`/v1/brands/${enc(brandId)}/assets`, q as Query),
    /** One file per call (raw body); the server re-encodes it and answers the stored asset. */
    uploadBrandAsset: async (brandId: string, file: Blob, q: T.BrandAssetUpload) =>
      (
        await request<T.BrandAsset>('POST', `/v1/brands/${enc(brandId)}/assets`, {
          rawBody: file,
          contentType: file.type || 'application/octet-stream',
          query: q as unknown as Query,
          idempotent: true,
        })
      ).data,
    updateBrandAsset: (brandId: string, id: string, body: T.BrandAssetPatch) =>
      patch<T.BrandAsset>(`/v1/brands/${enc(brandId)}/assets/${enc(id)}`, body),
    deleteBrandAsset: (brandId: string, id: string) => del(`/v1/brands/${enc(brandId)}/assets/${enc(id)}`),

    listCampaigns: (q?: { brand_id?: string; limit?: number; cursor?: string }) =>
      get<T.Page<T.Campaign>>('/v1/campaigns', q),
    /** Returns the campaign and its ETag (needed for PATCH). */
    getCampaign: async (id: string) => {
      const r = await request<T.Campaign>('GET', `/v1/campaigns/${enc(id)}`);
      return { campaign: r.data, etag: r.etag };
    },
    createCampaign: (body: T.CampaignInput) => post<T.Campaign>('/v1/campaigns', body, true),
    updateCampaign: async (id: string, body: Partial<T.CampaignInput> & { loop?: T.LoopSettings }, etag: string | null) => {
      const r = await request<T.Campaign>('PATCH', `/v1/campaigns/${enc(id)}`, {
        body,
        headers: etag ? { 'If-Match': etag } : {},
      });
      return { campaign: r.data, etag: r.etag };
    },
    deleteCampaign: (id: string) => del(`/v1/campaigns/${enc(id)}`),

    generateCopy: (campaignId: string, body: T.CopyRequest) =>
      post<T.CopyResult>(`/v1/campaigns/${enc(campaignId)}/copy`, body, true),

    listCreatives: async (q: T.CreativeFilters & { limit?: number; cursor?: string } = {}) => {
      const page = await get<T.Page<T.Creative>>('/v1/creatives', q as Query);
      return { ...page, items: page.items.map(normalizeCreative) };
    },
    getCreative: async (id: string) => normalizeCreative(await get<T.Creative>(`/v1/creatives/${enc(id)}`)),
    approveCreative: async (id: string) => normalizeCreative(await post<T.Creative>(`/v1/creatives/${enc(id)}/approve`)),
    rejectCreative: async (id: string, comment: string) =>
      normalizeCreative(await post<T.Creative>(`/v1/creatives/${enc(id)}/reject`, { comment })),
    archiveCreative: async (id: string) => normalizeCreative(await post<T.Creative>(`/v1/creatives/${enc(id)}/archive`)),
    regenerateCreative: (id: string, comment?: string) =>
      post<unknown>(`/v1/creatives/${enc(id)}/regenerate`, comment ? { comment } : {}, true),
    moreLikeThis: (id: string) => post<unknown>(`/v1/creatives/${enc(id)}/more-like-this`, {}, true),

    startJob: (campaignId: string, body: T.JobRequest) =>
      post<{ id: string; status: T.JobStatus }>(`/v1/campaigns/${enc(campaignId)}/jobs`, body, true),
    listJobs: (q?: { campaign_id?: string; limit?: number; cursor?: string }) => get<T.Page<T.Job>>('/v1/jobs', q),
    getJob: (id: string) => get<T.Job>(`/v1/jobs/${enc(id)}`),
    cancelJob: (id: string) => post<T.Job>(`/v1/jobs/${enc(id)}/cancel`),
    retryJob: (id: string) => post<T.Job>(`/v1/jobs/${enc(id)}/retry`),

    createExperiment: (body: T.ExperimentInput) => post<T.Experiment>('/v1/experiments', body, true),
    listExperiments: (q?: { campaign_id?: string; status?: string; limit?: number; cursor?: string }) =>
      get<T.Page<T.Experiment>>('/v1/experiments', q),
    getExperiment: (id: string) => get<T.Experiment>(`/v1/experiments/${enc(id)}`),
    stopExperiment: (id: string) => post<T.Experiment>(`/v1/experiments/${enc(id)}/stop`),
    archiveExperiment: (id: string) => post<T.Experiment>(`/v1/experiments/${enc(id)}/archive`),
    /** Upload a Google Ads or Meta report; it is applied in the background (follow the import). */
    importReport: async (file: Blob, q: { filename?: string; platform?: string; currency?: string } = {}) =>
      (
        await request<T.MetricImport>('POST', '/v1/metrics/imports', {
          rawBody: file,
          contentType: 'text/csv',
          query: q,
          idempotent: true,
        })
      ).data,
    getImport: (id: string) => get<T.MetricImport>(`/v1/metrics/imports/${enc(id)}`),
    listImports: (q?: { limit?: number; cursor?: string }) => get<T.Page<T.MetricImport>>('/v1/metrics/imports', q),
    listLoopCandidates: (campaignId: string, q?: { status?: T.LoopStatus; limit?: number; cursor?: string }) =>
      get<T.Page<T.LoopCandidate>>(`/v1/campaigns/${enc(campaignId)}/loop/candidates`, q),
    /** Accept a suggestion: its regenerate job starts (repeating starts no second job). */
    regenerateCandidate: (campaignId: string, id: string) =>
      post<T.LoopCandidate>(`/v1/campaigns/${enc(campaignId)}/loop/candidates/${enc(id)}/regenerate`),
    dismissCandidate: (campaignId: string, id: string) =>
      post<T.LoopCandidate>(`/v1/campaigns/${enc(campaignId)}/loop/candidates/${enc(id)}/dismiss`),
    /** Undo an automatic replacement (cancel its job, archive what it made, restore the creative). */
    undoCandidate: (campaignId: string, id: string) =>
      post<T.LoopCandidate>(`/v1/campaigns/${enc(campaignId)}/loop/candidates/${enc(id)}/undo`),
    campaignInsights: (id: string, q?: { metric?: string; days?: number }) =>
      get<T.CampaignInsights>(`/v1/campaigns/${enc(id)}/insights`, q),
    campaignPerformance: (id: string, q?: { start?: string; end?: string }) =>
      get<T.CampaignPerformance>(`/v1/campaigns/${enc(id)}/performance`, q),
    creativePerformance: (id: string, q?: { start?: string; end?: string }) =>
      get<T.CreativePerformance>(`/v1/creatives/${enc(id)}/performance`, q),
    /** A streamed export file (sheet or ZIP) with the name the API gives it. */
    downloadExport: async (campaignId: string, format: T.ExportFormat, encoding: T.ExportEncoding = 'utf16_tsv') => {
      const headers: Record<string, string> = {};
      const token = await opts.getToken();
      if (token) headers.Authorization = `Bearer ${token}`;
      const url = buildUrl(opts.baseUrl, `/v1/campaigns/${enc(campaignId)}/exports/${enc(format)}`, { encoding });
      let res: Response;
      try {
        res = await doFetch(url, { method: 'GET', headers });
      } catch (e) {
        throw new ApiError(0, 'network_error', `Cannot reach the API (${(e as Error).message}).`);
      }
      if (!res.ok) {
        const err = ((await res.json().catch(() => null)) as T.ErrorBody | null)?.error;
        throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? `Export failed (HTTP ${res.status}).`, err?.details ?? []);
      }
      const disposition = res.headers.get('Content-Disposition') ?? '';
      const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `export-${format}`;
      return {
        blob: await res.blob(),
        filename,
        included: Number(res.headers.get('X-Export-Included') ?? 0),
        excluded: Number(res.headers.get('X-Export-Excluded') ?? 0),
      };
    },
    exportPlan: (campaignId: string, format: T.ExportFormat) =>
      get<T.ExportPlan>(`/v1/campaigns/${enc(campaignId)}/exports/${enc(format)}/plan`),

    search: async (q: string, filters: T.CreativeFilters = {}) => {
      const r = await get<{ items: T.SearchHit[] }>('/v1/search', { q, ...filters } as Query);
      return { ...r, items: r.items.map((h) => ({ ...h, creative: normalizeCreative(h.creative) })) };
    },
  };
}

export type Api = ReturnType<typeof createApi>;
