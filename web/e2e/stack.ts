// Reads the URLs of the running local stack (written by the stack launcher).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Stack {
  web_url: string;
  api_base_url: string;
  project_id: string;
  auth_emulator: string; // host:port
  firestore_emulator: string; // host:port
}

const here = dirname(fileURLToPath(import.meta.url));
export const STACK_FILE = process.env.STACK_JSON ?? resolve(here, '../../.data/local/stack.json');
export const ARTIFACTS = process.env.E2E_ARTIFACTS ?? resolve(here, '../../artifacts/e2e');

export function readStack(): Stack {
  let raw: string;
  try {
    raw = readFileSync(STACK_FILE, 'utf8');
  } catch {
    throw new Error(`No stack description at ${STACK_FILE}: start the local stack first (or set STACK_JSON).`);
  }
  const s = JSON.parse(raw) as Stack;
  for (const k of ['web_url', 'api_base_url', 'project_id', 'auth_emulator', 'firestore_emulator'] as const) {
    if (!s[k]) throw new Error(`${STACK_FILE} lacks ${k}`);
  }
  return s;
}
