// Builds the app and prints the initial JS size (entry chunk + its static imports, not lazy
// routes), gzipped, in kB: {"web_initial_js_kb_gz": N}. Goal: <= 300.
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!process.argv.includes('--no-build')) {
  execSync('npx vite build --logLevel error', { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
const dist = join(root, 'dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));
const entries = Object.keys(manifest).filter((k) => manifest[k].isEntry);
if (entries.length === 0) throw new Error('no entry in the Vite manifest');

const seen = new Set();
const walk = (key) => {
  if (seen.has(key)) return;
  seen.add(key);
  for (const imp of manifest[key].imports ?? []) walk(imp); // static imports only
};
entries.forEach(walk);

let bytes = 0;
const files = [];
for (const key of seen) {
  const file = manifest[key].file;
  if (!file.endsWith('.js')) continue;
  const gz = gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
  bytes += gz;
  files.push({ file, kb_gz: Math.round(gz / 102.4) / 10 });
}
if (process.argv.includes('--verbose')) console.error(JSON.stringify(files, null, 2));
console.log(JSON.stringify({ web_initial_js_kb_gz: Math.round(bytes / 102.4) / 10 }));
