import { describe, expect, it, vi } from 'vitest';
import { ApiError, buildUrl, createApi } from './client';

function fakeFetch(status: number, body: unknown, headers: Record<string, string> = {}) {
  return vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) =>
    new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } }),
  );
}

describe('api client', () => {
  it('sends the ID token and parses JSON', async () => {
    const f = fakeFetch(200, { uid: 'u', email: 'a@b.c', tenant_id: null, role: null, brand_ids: null });
    const api = createApi({ baseUrl: 'http://api.test/', getToken: async () => 'tok', fetch: f });
    const me = await api.me();
    expect(me.uid).toBe('u');
    const [url, init] = f.mock.calls[0];
    expect(url).toBe('http://api.test/v1/me');
    expect((init!.headers as Record<string, string>).Authorization).toBe('Bearer tok');
  });

  it('turns the error envelope into an ApiError with field problems', async () => {
    const f = fakeFetch(422, { error: { code: 'invalid', message: 'Bad brand', details: [{ field: 'kit.colors', problem: 'not a colour' }] } });
    const api = createApi({ baseUrl: 'http://api.test', getToken: async () => null, fetch: f });
    const err = await api.createBrand({ name: 'x', kit: { voice: '', tone: '', example_ads: [], banned_words: [], required_phrases: [], colors: ['red'], fonts: [] } }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(422);
    expect(err.code).toBe('invalid');
    expect(err.message).toBe('Bad brand');
    expect(err.details).toEqual([{ field: 'kit.colors', problem: 'not a colour' }]);
  });

  it('sends an Idempotency-Key on creating POSTs, a new one each time', async () => {
    const f = fakeFetch(202, { id: 'j1', status: 'queued' });
    const api = createApi({ baseUrl: 'http://api.test', getToken: async () => 't', fetch: f });
    await api.startJob('c1', { kind: 'image_set', variants: 2, ratios: ['1:1'] });
    await api.startJob('c1', { kind: 'image_set', variants: 2, ratios: ['1:1'] });
    const k1 = (f.mock.calls[0][1]!.headers as Record<string, string>)['Idempotency-Key'];
    const k2 = (f.mock.calls[1][1]!.headers as Record<string, string>)['Idempotency-Key'];
    expect(k1).toBeTruthy();
    expect(k1).not.toBe(k2);
    expect(f.mock.calls[0][0]).toBe('http://api.test/v1/campaigns/c1/jobs');
    expect(JSON.parse(f.mock.calls[0][1]!.body as string)).toEqual({ kind: 'image_set', variants: 2, ratios: ['1:1'] });
  });

  it('returns the ETag from GET and sends it as If-Match on PATCH', async () => {
    const f = fakeFetch(200, { id: 'c1', name: 'A' }, { ETag: '"v7"' });
    const api = createApi({ baseUrl: 'http://api.test', getToken: async () => 't', fetch: f });
    const r = await api.getCampaign('c1');
    expect(r.etag).toBe('"v7"');
    await api.updateCampaign('c1', { name: 'B' }, r.etag);
    const init = f.mock.calls[1][1]!;
    expect(init.method).toBe('PATCH');
    expect((init.headers as Record<string, string>)['If-Match']).toBe('"v7"');
  });

  it('reports network failures as ApiError network_error', async () => {
    const f = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const api = createApi({ baseUrl: 'http://api.test', getToken: async () => 't', fetch: f });
    await expect(api.me()).rejects.toMatchObject({ code: 'network_error', status: 0 });
  });

  it('drops empty query values', () => {
    expect(buildUrl('http://x/', '/v1/creatives', { status: 'draft', ratio: '', kind: undefined })).toBe('http://x/v1/creatives?status=draft');
  });
});

describe('creative normalisation', () => {
  it("maps the backend's content / ratios / review.comment onto the contract fields", async () => {
    const f = fakeFetch(200, {
      items: [{ id: 'c', kind: 'copy', status: 'rejected', campaign_id: 'k', content: { headlines: ['Hi'] }, ratios: ['4:5'], review: { comment: 'too loud' } }],
      next_cursor: null,
    });
    const api = createApi({ baseUrl: 'http://api.test', getToken: async () => 't', fetch: f });
    const page = await api.listCreatives({ status: 'rejected' });
    expect(page.items[0]).toMatchObject({ fields: { headlines: ['Hi'] }, ratio: '4:5', review_comment: 'too loud' });
    expect(f.mock.calls[0][0]).toBe('http://api.test/v1/creatives?status=rejected');
  });
});
