export interface AppConfig {
  projectId: string;
  apiKey: string;
  authDomain: string;
  apiBaseUrl: string;
  emulators?: {
    /** e.g. "http://127.0.0.1:9099" */
    auth?: string;
    firestore?: { host: string; port: number };
  };
}

export class ConfigError extends Error {}

export function parseAppConfig(raw: unknown): AppConfig {
  if (!raw || typeof raw !== 'object') throw new ConfigError('app-config.json is not a JSON object');
  const c = raw as Record<string, unknown>;
  const missing = ['projectId', 'apiKey', 'apiBaseUrl'].filter((k) => typeof c[k] !== 'string' || !c[k]);
  if (missing.length) throw new ConfigError(`app-config.json is missing: ${missing.join(', ')}`);
  const emu = c.emulators as AppConfig['emulators'] | undefined;
  if (emu?.firestore && (typeof emu.firestore.host !== 'string' || !Number(emu.firestore.port))) {
    throw new ConfigError('app-config.json: emulators.firestore needs {host, port}');
  }
  return {
    projectId: c.projectId as string,
    apiKey: c.apiKey as string,
    authDomain: (c.authDomain as string) || `${c.projectId}.firebaseapp.com`,
    apiBaseUrl: c.apiBaseUrl as string,
    emulators: emu
      ? {
          auth: emu.auth,
          firestore: emu.firestore ? { host: emu.firestore.host, port: Number(emu.firestore.port) } : undefined,
        }
      : undefined,
  };
}

export function configUrl(): string {
  return (import.meta.env.VITE_APP_CONFIG_URL as string | undefined) || '/app-config.json';
}

export async function loadAppConfig(url = configUrl()): Promise<AppConfig> {
  let res: Response;
  try {
    res = await fetch(url, { cache: 'no-store' });
  } catch (e) {
    throw new ConfigError(`Cannot load ${url}: ${(e as Error).message}`);
  }
  if (!res.ok) throw new ConfigError(`Cannot load ${url}: HTTP ${res.status}`);
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    throw new ConfigError(`${url} is not valid JSON`);
  }
  return parseAppConfig(json);
}
