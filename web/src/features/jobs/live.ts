// Live listening to job documents in Firestore (read-only). Firestore is loaded lazily so it is
// not part of the initial bundle; the subscribe functions are injectable for tests.
import type { FirebaseApp } from 'firebase/app';
import type { Firestore } from 'firebase/firestore';
import type { AppConfig } from '../../app/config';
import type { Job, JobItem } from '../../api/types';

export type Unsubscribe = () => void;
export interface JobListQuery {
  /**
   * The member's brand limit (the ID token's `brand_ids` claim), or null for all brands. Rules
   * refuse a brand-limited member's list unless it is constrained to their brands, so a list is
   * sent as `where('brand_id', 'in', brandIds)` (Firestore allows at most 30 values; a member
   * has at most 25 brands). Callers do not query with an empty list (it would see nothing).
   */
  brandIds: string[] | null;
  /** How many of the newest jobs (job ids sort newest first). */
  limit: number;
}
export interface JobSubscriber {
  job(tenantId: string, jobId: string, onData: (job: Job | null) => void, onError: (e: Error) => void): Unsubscribe;
  items(tenantId: string, jobId: string, onData: (items: JobItem[]) => void, onError: (e: Error) => void): Unsubscribe;
  /** The tenant's newest jobs the member may see, in id order (newest first), live. */
  list(tenantId: string, q: JobListQuery, onData: (jobs: Job[]) => void, onError: (e: Error) => void): Unsubscribe;
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

export function firestoreJobSubscriber(app: FirebaseApp, config: AppConfig): JobSubscriber {
  let dbPromise: Promise<{ db: Firestore; fs: typeof import('firebase/firestore') }> | null = null;
  const load = () => {
    dbPromise ??= import('firebase/firestore').then((fs) => {
      const db = fs.getFirestore(app);
      const emu = config.emulators?.firestore;
      if (emu) fs.connectFirestoreEmulator(db, emu.host, emu.port);
      return { db, fs };
    });
    return dbPromise;
  };
  // Subscribe after the lazy import; returns an unsubscribe that works before or after it lands.
  function lazy(start: (m: { db: Firestore; fs: typeof import('firebase/firestore') }) => Unsubscribe, onError: (e: Error) => void) {
    let stop: Unsubscribe | null = null;
    let cancelled = false;
    load().then(
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
  return {
    job: (tenantId, jobId, onData, onError) =>
      lazy(
        ({ db, fs }) =>
          withListenRetry(
            (first, err) =>
              fs.onSnapshot(
                fs.doc(db, 'tenants', tenantId, 'jobs', jobId),
                (snap) => {
                  first();
                  onData(snap.exists() ? ({ id: snap.id, ...snap.data() } as Job) : null);
                },
                err,
              ),
            onError,
          ),
        onError,
      ),
    items: (tenantId, jobId, onData, onError) =>
      lazy(
        ({ db, fs }) =>
          withListenRetry(
            (first, err) =>
              fs.onSnapshot(
                fs.collection(db, 'tenants', tenantId, 'jobs', jobId, 'items'),
                (snap) => {
                  first();
                  onData(snap.docs.map((d) => ({ id: d.id, ...d.data() }) as JobItem));
                },
                err,
              ),
            onError,
          ),
        onError,
      ),
    // No listen retry here: a list is not denied for a job that does not exist yet, so a
    // permission-denied is final (e.g. a brand constraint the rules do not accept).
    list: (tenantId, q, onData, onError) =>
      lazy(
        ({ db, fs }) =>
          fs.onSnapshot(
            fs.query(
              fs.collection(db, 'tenants', tenantId, 'jobs'),
              ...(q.brandIds ? [fs.where('brand_id', 'in', q.brandIds)] : []),
              fs.orderBy(fs.documentId()),
              fs.limit(q.limit),
            ),
            (snap) => onData(snap.docs.map((d) => ({ ...d.data(), id: d.id }) as Job)),
            onError,
          ),
        onError,
      ),
  };
}
