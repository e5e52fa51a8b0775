// Live listening to a report import's progress document (tenants/{t}/metric_imports/{id}).
// Firestore is loaded lazily, like the jobs listener, so it stays out of the initial bundle.
import type { FirebaseApp } from 'firebase/app';
import type { AppConfig } from '../../app/config';
import type { MetricImport } from '../../api/types';
import { withListenRetry, type Unsubscribe } from '../jobs/live';

export interface ImportSubscriber {
  importDoc(tenantId: string, importId: string, onData: (doc: MetricImport | null) => void, onError: (e: Error) => void): Unsubscribe;
}

export function firestoreImportSubscriber(app: FirebaseApp, config: AppConfig): ImportSubscriber {
  return {
    importDoc: (tenantId, importId, onData, onError) => {
      let stop: Unsubscribe | null = null;
      let cancelled = false;
      import('firebase/firestore').then(
        (fs) => {
          if (cancelled) return;
          const db = fs.getFirestore(app);
          const emu = config.emulators?.firestore;
          // connectFirestoreEmulator throws if the jobs listener already connected this instance
          if (emu) {
            try {
              fs.connectFirestoreEmulator(db, emu.host, emu.port);
            } catch {
              /* already connected */
            }
          }
          stop = withListenRetry(
            (first, err) =>
              fs.onSnapshot(
                fs.doc(db, 'tenants', tenantId, 'metric_imports', importId),
                (snap) => {
                  first();
                  onData(snap.exists() ? ({ ...snap.data(), id: snap.id } as MetricImport) : null);
                },
                err,
              ),
            onError,
          );
        },
        (e: Error) => !cancelled && onError(e),
      );
      return () => {
        cancelled = true;
        stop?.();
      };
    },
  };
}
