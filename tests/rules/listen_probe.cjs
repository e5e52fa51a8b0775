// A real web-SDK listener (firebase/firestore, as in the web app) for the rules tests.
// Usage: node listen_probe.cjs <host> <port> <project> <uid> <claims-json> <collection path>
// Prints one JSON line per event: {"event":"data","docs":n} on each snapshot, and
// {"event":"error","code":...,"after":...,"ms":...} when the listener fails, then exits.
const path = require('node:path');
const { createRequire } = require('node:module');
const web = createRequire(path.resolve(__dirname, '../../web/package.json'));
const { initializeApp } = web('firebase/app');
const fs = web('firebase/firestore');

const [host, port, project, uid, claimsJson, collectionPath] = process.argv.slice(2);
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const app = initializeApp({ projectId: project, apiKey: 'fake-api-key' }, `probe-${uid}`);
const db = fs.getFirestore(app);
fs.connectFirestoreEmulator(db, host, Number(port), {
  mockUserToken: { sub: uid, user_id: uid, ...JSON.parse(claimsJson) },
});
// Each line on stdin names a moment ("changed", "touched"); an error reports the last one and the
// milliseconds since it.
let mark = { name: null, at: Date.now() };
fs.onSnapshot(
  fs.collection(db, collectionPath),
  (snap) => out({ event: 'data', docs: snap.size }),
  (err) => {
    out({ event: 'error', code: err.code, after: mark.name, ms: Date.now() - mark.at });
    process.exit(0);
  },
);
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  for (const name of chunk.split('\n').filter(Boolean)) mark = { name, at: Date.now() };
});
process.stdin.on('end', () => process.exit(0));
