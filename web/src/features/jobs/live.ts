// Live listening to job documents in Firestore (read-only). Firestore is loaded lazily so it is
// not part of the initial bundle; the subscribe functions are injectable for tests.
import type { FirebaseApp } from 'firebase/app';
import type { Firestore } from 'firebase/firestore';
import type { AppConfig } from '../../app/config';
import type { Job, JobItem } from '../../api/types';

export type Unsubscribe = () => void;
export interface JobSubscriber {
  job(tenantId: string, jobId: string, onData: (job: Job | null) => void, onError: (e: Error) => void): Unsubscribe;
  items(tenantId: string, jobId: string, onData: (items: JobItem[]) => void, onError: (e: Error) => void): Unsubscribe;
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
          fs.onSnapshot(
            fs.doc(db, 'tenants', tenantId, 'jobs', jobId),
            (snap) => onData(snap.exists() ? ({ id: snap.id, ...snap.data() } as Job) : null),
            onError,
          ),
        onError,
      ),
    items: (tenantId, jobId, onData, onError) =>
      lazy(
        ({ db, fs }) =>
          fs.onSnapshot(
            fs.collection(db, 'tenants', tenantId, 'jobs', jobId, 'items'),
            (snap) => onData(snap.docs.map((d) => ({ id: d.id, ...d.data() }) as JobItem)),
            onError,
          ),
        onError,
      ),
  };
}
