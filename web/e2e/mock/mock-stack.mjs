#!/usr/bin/env node
// A stand-in for the team's local stack, for web development and for running the e2e specs
// before the real backend is up: real Firebase Auth emulator (firebase-tools, if installed) and
// real Firestore emulator (gcloud component in the machine image), with an in-memory mock of the
// HTTP API v1 that writes job progress to Firestore like the real workers. The web app (built
// web/dist) and /app-config.json are served on one origin; the API on another (exercises CORS).
//
//   node e2e/mock/mock-stack.mjs            # start, print stack.json path, wait for Ctrl-C
//   node e2e/mock/mock-stack.mjs --e2e      # start, run `playwright test` against it, stop
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createServer as netServer } from 'node:net';
import { existsSync, mkdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStore, HttpError } from './store.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const webRoot = resolve(here, '../..');
const repoRoot = resolve(webRoot, '..');
const PROJECT = 'demo-adgenius';
const children = [];

const freePort = () =>
  new Promise((res, rej) => {
    const s = netServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function waitHttp(url, what, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {}
    await sleep(300);
  }
  throw new Error(`${what} did not answer at ${url} within ${timeoutMs / 1000}s`);
}
function start(cmd, args, name, logDir, opts = {}) {
  const log = join(logDir, `${name}.log`);
  const p = spawn(cmd, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  const chunks = [];
  p.stdout.on('data', (d) => chunks.push(d));
  p.stderr.on('data', (d) => chunks.push(d));
  p.on('exit', () => writeFileSync(log, Buffer.concat(chunks)));
  children.push(p);
  return p;
}
function stopAll() {
  for (const p of children) {
    try {
      process.kill(-p.pid, 'SIGTERM'); // own process group: bash launcher + java child
    } catch {}
  }
}
process.on('exit', stopAll);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

// ---------------------------------------------------------------- Firestore REST writes
function fsValue(v) {
  if (v === null || v === undefined) return { nullValue: null };
  if (typeof v === 'boolean') return { booleanValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { integerValue: String(v) } : { doubleValue: v };
  if (typeof v === 'string') return { stringValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(fsValue) } };
  return { mapValue: { fields: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fsValue(x)])) } };
}

async function main() {
  const runE2e = process.argv.includes('--e2e');
  const stateDir = mkdtempSync(join(tmpdir(), 'adgenius-mock-stack-'));
  const firestoreBin = '/usr/lib/google-cloud-sdk/platform/cloud-firestore-emulator/cloud_firestore_emulator';
  const firebaseBin = process.env.FIREBASE_BIN ?? join(repoRoot, '.tools/node_modules/.bin/firebase');
  if (!existsSync(firestoreBin)) throw new Error(`Firestore emulator missing at ${firestoreBin} (gcloud component cloud-firestore-emulator)`);
  if (!existsSync(firebaseBin)) throw new Error(`firebase-tools not found at ${firebaseBin}: npm i firebase-tools somewhere and set FIREBASE_BIN`);
  const dist = join(webRoot, 'dist');
  if (!existsSync(join(dist, 'index.html'))) throw new Error('web/dist is missing: run `npm run build` first');

  const [fsPort, authPort, hubPort, logPort, webPort, apiPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort(), freePort()]);
  // Security rules: by default this folder's copy (the repo's rules plus read access to jobs and
  // their items, which the web app listens to); FIRESTORE_RULES=../firestore.rules tries the repo's.
  const rules = resolve(process.env.FIRESTORE_RULES ?? join(here, 'firestore.rules'));
  start(firestoreBin, ['--host', '127.0.0.1', '--port', String(fsPort), '--project_id', PROJECT, '--rules', rules], 'firestore', stateDir);
  writeFileSync(
    join(stateDir, 'firebase.json'),
    JSON.stringify({ emulators: { auth: { host: '127.0.0.1', port: authPort }, hub: { host: '127.0.0.1', port: hubPort }, logging: { host: '127.0.0.1', port: logPort }, ui: { enabled: false }, singleProjectMode: true } }),
  );
  start(firebaseBin, ['emulators:start', '--only', 'auth', '--project', PROJECT, '--config', join(stateDir, 'firebase.json')], 'auth', stateDir, { cwd: stateDir });
  await Promise.all([waitHttp(`http://127.0.0.1:${fsPort}/`, 'Firestore emulator'), waitHttp(`http://127.0.0.1:${authPort}/`, 'Auth emulator', 120_000)]);

  const webUrl = `http://127.0.0.1:${webPort}`;
  const apiBase = `http://127.0.0.1:${apiPort}`;
  const fsBase = `http://127.0.0.1:${fsPort}/v1/projects/${PROJECT}/databases/(default)/documents`;
  let writes = Promise.resolve();
  const onJobWrite = (job, items) => {
    const { _items, brand_id, ...doc } = job;
    const name = (p) => `projects/${PROJECT}/databases/(default)/documents/${p}`;
    const body = {
      writes: [
        { update: { name: name(`tenants/${job.tenant_id}/jobs/${job.id}`), fields: fsValue(doc).mapValue.fields } },
        ...items.map(({ fail, ...it }) => ({ update: { name: name(`tenants/${job.tenant_id}/jobs/${job.id}/items/${it.id}`), fields: fsValue(it).mapValue.fields } })),
      ],
    };
    return (writes = writes.then(() =>
      fetch(`${fsBase}:commit`, { method: 'POST', headers: { Authorization: 'Bearer owner', 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
        .then(async (r) => r.ok || console.error('firestore write failed', r.status, await r.text()))
        .catch((e) => console.error('firestore write failed', e.message)),
    ));
  };
  // Custom claims through the Auth emulator, like the real API: the client must force-refresh.
  const setClaims = async (uid, claims) => {
    const r = await fetch(`http://127.0.0.1:${authPort}/identitytoolkit.googleapis.com/v1/projects/${PROJECT}/accounts:update`, {
      method: 'POST',
      headers: { Authorization: 'Bearer owner', 'Content-Type': 'application/json' },
      body: JSON.stringify({ localId: uid, customAttributes: JSON.stringify(claims) }),
    });
    if (!r.ok) throw new Error(`setting claims failed: ${r.status} ${await r.text()}`);
  };
  const store = createStore({ publicUrl: apiBase, onJobWrite, setClaims });

  // ---------------------------------------------------------------- API server
  const cors = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET,POST,PUT,PATCH,DELETE,OPTIONS',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type, Idempotency-Key, If-Match, X-API-Key',
    'Access-Control-Expose-Headers': 'ETag',
    'Access-Control-Max-Age': '600',
  };
  const send = (res, status, body, headers = {}) => {
    res.writeHead(status, { ...cors, ...(body === null ? {} : { 'Content-Type': 'application/json' }), ...headers });
    res.end(body === null ? undefined : JSON.stringify(body));
  };
  const authOf = (req) => {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (!m) throw new HttpError(401, 'unauthenticated', 'Sign in first');
    try {
      const p = JSON.parse(Buffer.from(m[1].split('.')[1], 'base64url').toString());
      return { uid: p.user_id ?? p.sub, email: p.email, email_verified: !!p.email_verified, claims: { tenant_id: p.tenant_id ?? null, role: p.role ?? null } };
    } catch {
      throw new HttpError(401, 'unauthenticated', 'Invalid ID token');
    }
  };
  const readBody = (req) =>
    new Promise((res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => res(Buffer.concat(chunks)));
    });
  const routes = [
    ['GET', /^\/v1\/me$/, (a) => store.me(a)],
    ['POST', /^\/v1\/tenants$/, (a, b) => store.createTenant(a, b)],
    ['GET', /^\/v1\/tenant$/, (a) => store.tenant(a)],
    ['GET', /^\/v1\/usage$/, (a) => store.usage(a)],
    ['GET', /^\/v1\/members$/, (a) => store.members(a)],
    ['PATCH', /^\/v1\/members\/([^/]+)$/, (a, b, m) => store.patchMember(a, m[1], b)],
    ['DELETE', /^\/v1\/members\/([^/]+)$/, (a, b, m) => store.deleteMember(a, m[1])],
    ['GET', /^\/v1\/invitations$/, (a) => store.invitations(a)],
    ['POST', /^\/v1\/invitations$/, (a, b) => store.createInvitation(a, b)],
    ['POST', /^\/v1\/invitations\/([^/]+)\/accept$/, (a, b, m) => store.acceptInvitation(a, m[1])],
    ['DELETE', /^\/v1\/invitations\/([^/]+)$/, (a, b, m) => store.deleteInvitation(a, m[1])],
    ['GET', /^\/v1\/api-keys$/, (a) => store.apiKeys(a)],
    ['POST', /^\/v1\/api-keys$/, (a, b) => store.createApiKey(a, b)],
    ['DELETE', /^\/v1\/api-keys\/([^/]+)$/, (a, b, m) => store.revokeApiKey(a, m[1])],
    ['GET', /^\/v1\/brands$/, (a) => store.brands(a)],
    ['POST', /^\/v1\/brands$/, (a, b) => store.createBrand(a, b)],
    ['GET', /^\/v1\/brands\/([^/]+)$/, (a, b, m) => store.brand(a, m[1])],
    ['PATCH', /^\/v1\/brands\/([^/]+)$/, (a, b, m) => store.patchBrand(a, m[1], b)],
    ['DELETE', /^\/v1\/brands\/([^/]+)$/, (a, b, m) => store.deleteBrand(a, m[1])],
    ['GET', /^\/v1\/campaigns$/, (a, b, m, q) => store.campaigns(a, q)],
    ['POST', /^\/v1\/campaigns$/, (a, b) => store.createCampaign(a, b)],
    ['GET', /^\/v1\/campaigns\/([^/]+)$/, (a, b, m) => store.campaign(a, m[1])],
    ['PATCH', /^\/v1\/campaigns\/([^/]+)$/, (a, b, m, q, req) => store.patchCampaign(a, m[1], b, req.headers['if-match'])],
    ['DELETE', /^\/v1\/campaigns\/([^/]+)$/, (a, b, m) => store.deleteCampaign(a, m[1])],
    ['POST', /^\/v1\/campaigns\/([^/]+)\/copy$/, (a, b, m) => store.copy(a, m[1], b)],
    ['POST', /^\/v1\/campaigns\/([^/]+)\/jobs$/, (a, b, m) => store.startJob(a, m[1], b)],
    ['GET', /^\/v1\/creatives$/, (a, b, m, q) => store.creatives(a, q)],
    ['GET', /^\/v1\/creatives\/([^/]+)$/, (a, b, m) => store.creative(a, m[1])],
    ['POST', /^\/v1\/creatives\/([^/]+)\/(approve|reject|archive)$/, (a, b, m) => store.review(a, m[1], m[2], b)],
    ['POST', /^\/v1\/creatives\/([^/]+)\/(regenerate|more-like-this)$/, (a, b, m) => (store.creative(a, m[1]), [202, { status: 'queued' }])],
    ['GET', /^\/v1\/jobs$/, (a) => store.jobs(a)],
    ['GET', /^\/v1\/jobs\/([^/]+)$/, (a, b, m) => store.job(a, m[1])],
    ['POST', /^\/v1\/jobs\/([^/]+)\/cancel$/, (a, b, m) => store.cancelJob(a, m[1])],
    ['POST', /^\/v1\/jobs\/([^/]+)\/retry$/, (a, b, m) => store.retryJob(a, m[1])],
    ['GET', /^\/v1\/search$/, (a, b, m, q) => store.search(a, q)],
  ];
  createServer(async (req, res) => {
    const url = new URL(req.url, apiBase);
    if (req.method === 'OPTIONS') return send(res, 204, null);
    if (req.method === 'GET' && url.pathname.startsWith('/media/')) {
      const [w, h] = (url.searchParams.get('ratio') ?? '1:1').split(':').map(Number);
      const W = Math.round(400 * (w >= h ? 1 : w / h)), H = Math.round(400 * (h >= w ? 1 : h / w));
      res.writeHead(200, { ...cors, 'Content-Type': 'image/svg+xml' });
      return res.end(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="100%" height="100%" fill="#e3dfff"/><text x="50%" y="50%" text-anchor="middle" font-size="32" fill="#150067">${w}:${h}</text></svg>`);
    }
    const logo = /^\/logo\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && logo) {
      const b = store.logo(logo[1]);
      if (!b?.logo_bytes) return send(res, 404, { error: { code: 'not_found', message: 'No logo' } });
      res.writeHead(200, { ...cors, 'Content-Type': b.logo_type });
      return res.end(b.logo_bytes);
    }
    try {
      const raw = await readBody(req);
      const auth = authOf(req);
      const putLogo = /^\/v1\/brands\/([^/]+)\/logo$/.exec(url.pathname);
      if (req.method === 'PUT' && putLogo) return send(res, 200, store.uploadLogo(auth, putLogo[1], req.headers['content-type'], raw));
      let body = {};
      if (raw.length) {
        try {
          body = JSON.parse(raw.toString());
        } catch {
          throw new HttpError(400, 'invalid_json', 'The body is not JSON');
        }
      }
      const q = Object.fromEntries(url.searchParams);
      for (const [method, re, fn] of routes) {
        const m = re.exec(url.pathname);
        if (m && method === req.method) {
          const out = await fn(auth, body, m, q, req);
          if (Array.isArray(out)) return send(res, out[0], out[1], out[2]);
          return send(res, 200, out);
        }
      }
      throw new HttpError(404, 'not_found', `No route ${req.method} ${url.pathname}`);
    } catch (e) {
      if (e instanceof HttpError) return send(res, e.status, { error: { code: e.code, message: e.message, details: e.details } });
      console.error(e);
      return send(res, 500, { error: { code: 'internal', message: e.message } });
    }
  }).listen(apiPort, '127.0.0.1');

  // ---------------------------------------------------------------- web server (dist + config)
  const appConfig = { projectId: PROJECT, apiKey: 'demo-api-key', authDomain: `${PROJECT}.firebaseapp.com`, apiBaseUrl: apiBase, emulators: { auth: `http://127.0.0.1:${authPort}`, firestore: { host: '127.0.0.1', port: fsPort } } };
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.png': 'image/png' };
  createServer((req, res) => {
    const path = new URL(req.url, webUrl).pathname;
    if (path === '/app-config.json') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      return res.end(JSON.stringify(appConfig));
    }
    let file = join(dist, path);
    if (!file.startsWith(dist) || !existsSync(file) || path === '/' || !extname(path)) file = join(dist, 'index.html'); // SPA fallback
    res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  }).listen(webPort, '127.0.0.1');

  const stack = { web_url: webUrl, api_base_url: apiBase, project_id: PROJECT, auth_emulator: `127.0.0.1:${authPort}`, firestore_emulator: `127.0.0.1:${fsPort}` };
  const stackFile = join(stateDir, 'stack.json');
  writeFileSync(stackFile, JSON.stringify(stack, null, 2));
  console.log(`mock stack up: ${JSON.stringify(stack)}\nSTACK_JSON=${stackFile}`);

  if (runE2e) {
    const artifacts = process.env.E2E_ARTIFACTS ?? join(webRoot, 'test-results', 'mock-e2e');
    mkdirSync(artifacts, { recursive: true });
    const pw = spawn('npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts', ...process.argv.slice(process.argv.indexOf('--e2e') + 1)], {
      cwd: webRoot,
      stdio: 'inherit',
      env: { ...process.env, STACK_JSON: stackFile, E2E_ARTIFACTS: artifacts },
    });
    pw.on('exit', (code) => process.exit(code ?? 1));
  }
}

main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
