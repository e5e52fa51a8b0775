// Live Firestore for every view that follows documents (jobs, experiments, report imports).
// Firestore is loaded lazily, once per app, so it stays out of the initial bundle and the
// emulator connection is made exactly once (a second connectFirestoreEmulator call throws).
import type { FirebaseApp } from 'firebase/app';
import type { Firestore } from 'firebase/firestore';
import type { AppConfig } from '../app/config';

export type Unsubscribe = () => void;
export interface LiveFirestore {
  db: Firestore;
  fs: typeof import('firebase/firestore');
}

const loaded = new WeakMap<FirebaseApp, Promise<LiveFirestore>>();

export function liveFirestore(app: FirebaseApp, config: AppConfig): Promise<LiveFirestore> {
  let promise = loaded.get(app);
  if (!promise) {
    promise = import('firebase/firestore').then((fs) => {
      const db = fs.getFirestore(app);
      const emu = config.emulators?.firestore;
      if (emu) fs.connectFirestoreEmulator(db, emu.host, emu.port);
      return { db, fs };
    });
    loaded.set(app, promise);
  }
  return promise;
}

/** Subscribes once Firestore has loaded; the unsubscribe works before or after it lands. */
export function afterLoad(
  app: FirebaseApp,
  config: AppConfig,
  start: (m: LiveFirestore) => Unsubscribe,
  onError: (e: Error) => void,
): Unsubscribe {
  let stop: Unsubscribe | null = null;
  let cancelled = false;
  liveFirestore(app, config).then(
    (m) => {
      if (!cancelled) stop = start(m);
    },
    (e: Error) => !cancelled && onError(e),
  );
  return () => {
    cancelled = true;
    stop?.();
  };
}

/**
 * Starts a listener and, if it fails with permission-denied before its first snapshot, starts it
 * again a few times with backoff: a job doc that does not exist yet (the worker writes it a moment
 * after the API answers 202) is denied by rules that check resource.data.tenant_id. Other errors,
 * and errors after data arrived, are reported at once. This re-listens; it never polls the API.
 */
export function withListenRetry(
  startOnce: (onFirstData: () => void, onError: (e: Error) => void) => Unsubscribe,
  onError: (e: Error) => void,
  opts: { tries?: number; baseDelayMs?: number } = {},
): Unsubscribe {
  const tries = opts.tries ?? 3;
  const base = opts.baseDelayMs ?? 400;
  let attempt = 0;
  let gotData = false;
  let stopped = false;
  let stop: Unsubscribe | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const run = () => {
    stop = startOnce(
      () => {
        gotData = true;
      },
      (e) => {
        if (stopped) return;
        const code = (e as { code?: string }).code;
        if (!gotData && code === 'permission-denied' && attempt < tries) {
          timer = setTimeout(run, base * 2 ** attempt++);
        } else onError(e);
      },
    );
  };
  run();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    stop?.();
  };
}

/** Follows one document (`null` while it does not exist), retrying a denial before it exists. */
export function followDocument<T>(
  app: FirebaseApp,
  config: AppConfig,
  path: [string, ...string[]],
  onData: (doc: T | null) => void,
  onError: (e: Error) => void,
): Unsubscribe {
  return afterLoad(
    app,
    config,
    ({ db, fs }) =>
      withListenRetry(
        (first, err) =>
          fs.onSnapshot(
            fs.doc(db, ...path),
            (snap) => {
              first();
              onData(snap.exists() ? ({ ...snap.data(), id: snap.id } as T) : null);
            },
            err,
          ),
        onError,
      ),
    onError,
  );
}
