// In-memory implementation of the HTTP API v1 contract, good enough to drive the web app's e2e
// specs without the real backend. Tenant isolation is enforced on every read, like the real API.
import { randomUUID } from 'node:crypto';

const PLATFORM_LIMITS = {
  google_rsa: { headlines: 30, descriptions: 90, paths: 15 },
  google_pmax: { headlines: 30, long_headlines: 90, descriptions: 90, business_name: 25 },
  meta: { primary_text: 125, headlines: 27, descriptions: 27 },
};

export class HttpError extends Error {
  constructor(status, code, message, details = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}
const now = () => new Date().toISOString();
const id = (p) => `${p}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;

export function createStore({ publicUrl, onJobWrite, setClaims = async () => {} }) {
  const users = new Map(); // uid -> {uid, email, tenant_id, role, brand_ids}
  const tenants = new Map();
  const col = { brands: new Map(), campaigns: new Map(), creatives: new Map(), jobs: new Map(), invitations: new Map(), keys: new Map() };

  const user = (auth) => {
    if (!users.has(auth.uid)) users.set(auth.uid, { uid: auth.uid, email: auth.email, tenant_id: null, role: null, brand_ids: null });
    return users.get(auth.uid);
  };
  const member = (auth, minRole = 'viewer') => {
    const u = user(auth);
    if (!u.tenant_id) throw new HttpError(403, 'no_tenant', 'Create or join a workspace first');
    const rank = { viewer: 0, editor: 1, admin: 2, owner: 3 };
    if (rank[u.role] < rank[minRole]) throw new HttpError(403, 'forbidden', `Needs the ${minRole} role`);
    return u;
  };
  const own = (map, tenantId, objId, what) => {
    const o = map.get(objId);
    if (!o || o.tenant_id !== tenantId) throw new HttpError(404, 'not_found', `${what} not found`);
    return o;
  };
  const list = (map, tenantId, pred = () => true) => ({
    items: [...map.values()].filter((o) => o.tenant_id === tenantId && pred(o)).sort((a, b) => (a.created_at < b.created_at ? 1 : -1)),
    next_cursor: null,
  });
  const required = (body, fields) => {
    const details = fields.filter((f) => body[f] === undefined || body[f] === '' || body[f] === null).map((f) => ({ field: f, problem: 'required' }));
    if (details.length) throw new HttpError(400, 'invalid_argument', 'Some fields are missing', details);
  };
  const validateBrand = (b) => {
    required(b, ['name']);
    const bad = (b.kit?.colors ?? []).find((c) => !/^#[0-9A-Fa-f]{6}$/.test(c));
    if (bad) throw new HttpError(400, 'invalid_argument', 'Invalid brand kit', [{ field: 'kit.colors', problem: `${bad} is not #RRGGBB` }]);
  };
  const etag = (c) => `"${c.version}"`;

  const creativeOut = (c) => c;

  function makeCopy(campaign, brand, platform) {
    const limits = PLATFORM_LIMITS[platform];
    const base = [campaign.offer, campaign.name, ...(campaign.product_facts ?? []), ...(brand?.kit?.required_phrases ?? [])].filter(Boolean);
    const variants = [0, 1].map((n) => {
      const fields = {};
      for (const f of Object.keys(limits)) {
        if (f === 'business_name') fields[f] = brand?.name ?? 'Brand';
        else fields[f] = base.map((t, i) => (n === 1 && i === 0 ? `${t} - ${t}` : t)).slice(0, 3);
      }
      const violations = [];
      for (const [f, v] of Object.entries(fields)) {
        (Array.isArray(v) ? v : [v]).forEach((t, i) => {
          if ([...t].length > limits[f]) violations.push({ field: `${f}[${i}]`, rule: 'max_length', message: `Longer than ${limits[f]} characters`, severity: platform === 'meta' ? 'warning' : 'error' });
          for (const w of brand?.kit?.banned_words ?? []) if (t.toLowerCase().includes(w.toLowerCase())) violations.push({ field: `${f}[${i}]`, rule: 'banned_word', message: `Uses the banned word "${w}"`, severity: 'error' });
        });
      }
      return { id: id('cr'), fields, violations, limits, scores: { brand_fit: 0.8 }, compliant: !violations.some((v) => v.severity === 'error') };
    });
    return variants;
  }

  function svgUrl(c, ratio) {
    return `${publicUrl}/media/${c}.svg?ratio=${encodeURIComponent(ratio)}`;
  }
  const dims = (ratio) => {
    const [w, h] = ratio.split(':').map(Number);
    return w >= h ? { width: 1080, height: Math.round((1080 * h) / w) } : { width: Math.round((1080 * w) / h), height: 1080 };
  };

  function runJob(job) {
    // Simulated worker: phases and items progress over time; every change goes to Firestore.
    const steps = [];
    const write = () => onJobWrite(job, [...job._items.values()]);
    steps.push(() => Object.assign(job, { status: 'planning', phase: 'planning' }));
    steps.push(() => Object.assign(job, { status: 'running', phase: 'rendering' }));
    for (const it of job._items.values()) {
      steps.push(() => {
        if (job.status === 'cancelled') return;
        it.status = 'running';
        job.counts.pending--;
        job.counts.running++;
      });
      steps.push(() => {
        if (job.status === 'cancelled') return;
        job.counts.running--;
        if (it.fail) {
          it.status = 'failed';
          it.error_reason = 'Safety filter blocked this image (simulated)';
          job.counts.failed++;
          return;
        }
        const c = {
          id: id('cr'),
          tenant_id: job.tenant_id,
          campaign_id: job.campaign_id,
          brand_id: job.brand_id,
          kind: job.kind === 'video' ? 'video' : 'image',
          status: 'draft',
          platform: null,
          engine: job.kind === 'video' ? 'mock-video' : 'mock-image',
          ratio: it.ratio,
          job_id: job.id,
          created_at: now(),
          assets: [{ ratio: it.ratio, ...dims(it.ratio), url: svgUrl(it.id, it.ratio), content_type: 'image/svg+xml' }],
        };
        col.creatives.set(c.id, c);
        it.status = 'succeeded';
        it.creative_id = c.id;
        job.counts.succeeded++;
        job.eta_s = Math.max(0, (job.counts.pending + job.counts.running) * 1.4);
      });
    }
    steps.push(() => {
      if (job.status === 'cancelled') return;
      job.status = job.counts.failed === 0 ? 'succeeded' : job.counts.succeeded > 0 ? 'partially_succeeded' : 'failed';
      job.phase = 'done';
      job.eta_s = 0;
    });
    let i = 0;
    const tick = () => {
      if (i >= steps.length) return;
      steps[i++]();
      job.updated_at = now();
      write();
      if (job.status !== 'cancelled') setTimeout(tick, 700);
    };
    setTimeout(tick, 700);
    return write(); // the job doc exists before the API answers 202, like the real API
  }

  return {
    users,
    me: (auth) => {
      const u = user(auth);
      return { uid: u.uid, email: u.email, tenant_id: u.tenant_id, role: u.role, brand_ids: u.brand_ids };
    },
    async createTenant(auth, body) {
      required(body, ['name']);
      const u = user(auth);
      if (u.tenant_id) throw new HttpError(409, 'already_member', 'You already belong to a workspace');
      const t = { id: id('t'), name: body.name, plan: body.plan ?? 'starter', usage: { images: 0, videos: 0, copy_requests: 0 }, quotas: { images: 500, videos: 50, copy_requests: 5000 }, created_at: now() };
      tenants.set(t.id, t);
      Object.assign(u, { tenant_id: t.id, role: 'owner' });
      await setClaims(u.uid, { tenant_id: t.id, role: 'owner' });
      return [201, t];
    },
    tenant: (auth) => tenants.get(member(auth).tenant_id),
    usage: (auth) => {
      const t = tenants.get(member(auth).tenant_id);
      return { usage: t.usage, quotas: t.quotas };
    },
    members: (auth) => {
      const t = member(auth).tenant_id;
      return { items: [...users.values()].filter((u) => u.tenant_id === t).map(({ uid, email, role, brand_ids }) => ({ uid, email, role, brand_ids })), next_cursor: null };
    },
    async patchMember(auth, uid, body) {
      const me = member(auth, 'admin');
      const m = users.get(uid);
      if (!m || m.tenant_id !== me.tenant_id) throw new HttpError(404, 'not_found', 'Member not found');
      if (body.role) m.role = body.role;
      if (body.brand_ids !== undefined) m.brand_ids = body.brand_ids;
      await setClaims(m.uid, { tenant_id: m.tenant_id, role: m.role, ...(m.brand_ids ? { brand_ids: m.brand_ids } : {}) });
      return m;
    },
    async deleteMember(auth, uid) {
      const me = member(auth, 'admin');
      const m = users.get(uid);
      if (!m || m.tenant_id !== me.tenant_id) throw new HttpError(404, 'not_found', 'Member not found');
      Object.assign(m, { tenant_id: null, role: null });
      await setClaims(m.uid, {});
      return [204, null];
    },
    invitations: (auth) => list(col.invitations, member(auth, 'admin').tenant_id),
    createInvitation(auth, body) {
      const me = member(auth, 'admin');
      required(body, ['email', 'role']);
      const inv = { id: id('inv'), tenant_id: me.tenant_id, email: body.email.toLowerCase(), role: body.role, brand_ids: body.brand_ids ?? null, status: 'pending', created_at: now() };
      col.invitations.set(inv.id, inv);
      return [201, inv];
    },
    async acceptInvitation(auth, invId) {
      const u = user(auth);
      const inv = col.invitations.get(invId);
      if (!inv || inv.status !== 'pending') throw new HttpError(404, 'not_found', 'Invitation not found');
      if (inv.email !== (u.email ?? '').toLowerCase()) throw new HttpError(403, 'email_mismatch', 'This invitation is for another email');
      if (!auth.email_verified) throw new HttpError(403, 'permission_denied', 'verify your email address before accepting the invitation');
      Object.assign(u, { tenant_id: inv.tenant_id, role: inv.role, brand_ids: inv.brand_ids });
      inv.status = 'accepted';
      await setClaims(u.uid, { tenant_id: u.tenant_id, role: u.role, ...(u.brand_ids ? { brand_ids: u.brand_ids } : {}) });
      return inv;
    },
    deleteInvitation(auth, invId) {
      own(col.invitations, member(auth, 'admin').tenant_id, invId, 'Invitation');
      col.invitations.delete(invId);
      return [204, null];
    },
    apiKeys: (auth) => {
      const r = list(col.keys, member(auth, 'admin').tenant_id, (k) => !k.revoked);
      return { ...r, items: r.items.map(({ secret, ...k }) => k) };
    },
    createApiKey(auth, body) {
      const me = member(auth, 'admin');
      required(body, ['name', 'scopes']);
      const secret = `ag_${randomUUID().replace(/-/g, '')}`;
      const k = { id: id('key'), tenant_id: me.tenant_id, name: body.name, scopes: body.scopes, prefix: secret.slice(0, 8), secret, created_at: now(), last_used_at: null };
      col.keys.set(k.id, k);
      const { secret: _s, ...pub } = k;
      return [201, { ...pub, key: secret }];
    },
    revokeApiKey(auth, keyId) {
      own(col.keys, member(auth, 'admin').tenant_id, keyId, 'API key').revoked = true;
      return [204, null];
    },
    brands: (auth) => list(col.brands, member(auth).tenant_id),
    brand: (auth, bid) => own(col.brands, member(auth).tenant_id, bid, 'Brand'),
    createBrand(auth, body) {
      const me = member(auth, 'editor');
      validateBrand(body);
      const b = { id: id('b'), tenant_id: me.tenant_id, name: body.name, kit: body.kit ?? {}, logo_url: null, created_at: now() };
      col.brands.set(b.id, b);
      return [201, b];
    },
    patchBrand(auth, bid, body) {
      const b = own(col.brands, member(auth, 'editor').tenant_id, bid, 'Brand');
      validateBrand({ ...b, ...body });
      Object.assign(b, body, { updated_at: now() });
      return b;
    },
    deleteBrand(auth, bid) {
      own(col.brands, member(auth, 'admin').tenant_id, bid, 'Brand');
      col.brands.delete(bid);
      return [204, null];
    },
    uploadLogo(auth, bid, contentType, bytes) {
      const b = own(col.brands, member(auth, 'editor').tenant_id, bid, 'Brand');
      if (!['image/png', 'image/jpeg', 'image/webp'].includes(contentType)) throw new HttpError(415, 'unsupported_media_type', 'Use PNG, JPEG or WebP');
      b.logo_bytes = bytes;
      b.logo_type = contentType;
      b.logo_path = `tenants/${b.tenant_id}/brands/${b.id}/logo`;
      b.logo_url = `${publicUrl}/logo/${b.id}?v=${Date.now()}`;
      return { logo_url: b.logo_url, logo_path: b.logo_path };
    },
    logo: (bid) => col.brands.get(bid),
    campaigns: (auth, q) => list(col.campaigns, member(auth).tenant_id, (c) => !q.brand_id || c.brand_id === q.brand_id),
    campaign(auth, cid) {
      const c = own(col.campaigns, member(auth).tenant_id, cid, 'Campaign');
      return [200, c, { ETag: etag(c) }];
    },
    createCampaign(auth, body) {
      const me = member(auth, 'editor');
      required(body, ['brand_id', 'name', 'objective', 'landing_url']);
      own(col.brands, me.tenant_id, body.brand_id, 'Brand');
      const c = { ...body, id: id('c'), tenant_id: me.tenant_id, version: 1, created_at: now() };
      col.campaigns.set(c.id, c);
      return [201, c, { ETag: etag(c) }];
    },
    patchCampaign(auth, cid, body, ifMatch) {
      const c = own(col.campaigns, member(auth, 'editor').tenant_id, cid, 'Campaign');
      if (!ifMatch) throw new HttpError(428, 'precondition_required', 'If-Match is required');
      const allowed = ['name', 'objective', 'offer', 'product_facts', 'landing_url', 'audiences', 'platforms', 'languages'];
      const extra = Object.keys(body).filter((k) => !allowed.includes(k));
      if (extra.length) throw new HttpError(422, 'invalid_argument', 'Unknown or read-only fields', extra.map((f) => ({ field: f, problem: 'extra fields not permitted' })));
      if (ifMatch !== etag(c)) throw new HttpError(412, 'precondition_failed', 'The campaign changed since you loaded it');
      Object.assign(c, body, { version: c.version + 1, updated_at: now() });
      return [200, c, { ETag: etag(c) }];
    },
    deleteCampaign(auth, cid) {
      own(col.campaigns, member(auth, 'admin').tenant_id, cid, 'Campaign');
      col.campaigns.delete(cid);
      return [204, null];
    },
    copy(auth, cid, body) {
      const me = member(auth, 'editor');
      const c = own(col.campaigns, me.tenant_id, cid, 'Campaign');
      if (!PLATFORM_LIMITS[body.platform]) throw new HttpError(400, 'invalid_argument', 'Unknown platform', [{ field: 'platform', problem: 'must be one of google_rsa, google_pmax, meta' }]);
      const variants = makeCopy(c, col.brands.get(c.brand_id), body.platform);
      for (const v of variants) {
        col.creatives.set(v.id, { id: v.id, tenant_id: me.tenant_id, campaign_id: cid, brand_id: c.brand_id, kind: 'copy', status: 'draft', platform: body.platform, engine: 'mock-copy', fields: v.fields, violations: v.violations, created_at: now() });
      }
      tenants.get(me.tenant_id).usage.copy_requests++;
      return { creative_ids: variants.map((v) => v.id), variants, engine: 'mock-copy', model: 'mock', prompt_version: 'mock-1' };
    },
    creatives(auth, q) {
      const t = member(auth).tenant_id;
      // Like the real API: lists carry no assets (GET /v1/creatives/{id} does).
      const page = list(col.creatives, t, (c) => ['campaign_id', 'brand_id', 'platform', 'kind', 'status', 'ratio', 'engine'].every((k) => !q[k] || c[k] === q[k]));
      return { ...page, items: page.items.map(({ assets, ...c }) => c) };
    },
    creative: (auth, crid) => creativeOut(own(col.creatives, member(auth).tenant_id, crid, 'Creative')),
    review(auth, crid, action, body) {
      const c = own(col.creatives, member(auth, 'editor').tenant_id, crid, 'Creative');
      if (action === 'reject') {
        if (!body.comment) throw new HttpError(400, 'invalid_argument', 'A comment is required', [{ field: 'comment', problem: 'required' }]);
        c.review_comment = body.comment;
      }
      c.status = { approve: 'approved', reject: 'rejected', archive: 'archived' }[action];
      return c;
    },
    search(auth, q) {
      const words = (q.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
      const r = this.creatives(auth, q).items.map((c) => {
        const text = JSON.stringify([c.fields, c.kind, c.ratio]).toLowerCase();
        return { creative: c, score: words.filter((w) => text.includes(w)).length / Math.max(1, words.length) };
      });
      return { items: r.filter((h) => h.score > 0).sort((a, b) => b.score - a.score) };
    },
    async startJob(auth, cid, body) {
      const me = member(auth, 'editor');
      const c = own(col.campaigns, me.tenant_id, cid, 'Campaign');
      const ratios = body.kind === 'video' ? [body.ratio ?? '9:16'] : body.ratios?.length ? body.ratios : ['1:1'];
      const n = body.kind === 'video' ? 1 : Math.max(1, Math.min(12, body.variants ?? 2));
      const job = { id: id('job'), tenant_id: me.tenant_id, campaign_id: cid, brand_id: c.brand_id, kind: body.kind, status: 'queued', phase: 'queued', counts: { total: 0, pending: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 }, eta_s: null, created_at: now(), updated_at: now(), _items: new Map() };
      let k = 0;
      for (const r of ratios) for (let i = 0; i < n; i++) {
        const it = { id: `item_${k}`, status: 'pending', ratio: r, fail: n * ratios.length >= 4 && k === 2 };
        job._items.set(it.id, it);
        k++;
      }
      job.counts.total = job.counts.pending = k;
      col.jobs.set(job.id, job);
      tenants.get(me.tenant_id).usage[body.kind === 'video' ? 'videos' : 'images'] += k;
      await runJob(job);
      return [202, { id: job.id, status: job.status }];
    },
    jobs: (auth) => {
      const r = list(col.jobs, member(auth).tenant_id);
      return { ...r, items: r.items.map(({ _items, ...j }) => j) };
    },
    job: (auth, jid) => {
      const { _items, ...j } = own(col.jobs, member(auth).tenant_id, jid, 'Job');
      return j;
    },
    cancelJob(auth, jid) {
      const j = own(col.jobs, member(auth, 'editor').tenant_id, jid, 'Job');
      if (['succeeded', 'failed', 'partially_succeeded', 'cancelled'].includes(j.status)) throw new HttpError(409, 'job_finished', 'The job already finished');
      j.status = 'cancelled';
      j.phase = 'cancelled';
      for (const it of j._items.values()) if (it.status === 'pending' || it.status === 'running') {
        it.status = 'cancelled';
        j.counts.cancelled++;
      }
      j.counts.pending = j.counts.running = 0;
      onJobWrite(j, [...j._items.values()]);
      const { _items, ...out } = j;
      return out;
    },
    retryJob(auth, jid) {
      const j = own(col.jobs, member(auth, 'editor').tenant_id, jid, 'Job');
      throw new HttpError(501, 'not_implemented', `Retry is not simulated by the mock stack (job ${j.id})`);
    },
  };
}
