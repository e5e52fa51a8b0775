// Live listening to one experiment document (its latest decision) in Firestore, read-only.
// Firestore is imported lazily (not in the initial bundle); the subscriber is injectable for tests.
import type { FirebaseApp } from 'firebase/app';
import type { AppConfig } from '../../app/config';
import type { Experiment } from '../../api/types';
import { withListenRetry, type Unsubscribe } from '../jobs/live';

export interface ExperimentSubscriber {
  experiment(tenantId: string, id: string, onData: (e: Experiment | null) => void, onError: (e: Error) => void): Unsubscribe;
}

export function firestoreExperimentSubscriber(app: FirebaseApp, config: AppConfig): ExperimentSubscriber {
  const load = () =>
    import('firebase/firestore').then((fs) => {
      const db = fs.getFirestore(app);
      const emu = config.emulators?.firestore;
      // connectFirestoreEmulator throws if the instance already started (the jobs subscriber may
      // have connected it): the connection is then already in place.
      if (emu) {
        try {
          fs.connectFirestoreEmulator(db, emu.host, emu.port);
        } catch {
          /* already connected */
        }
      }
      return { db, fs };
    });
  return {
    experiment: (tenantId, id, onData, onError) => {
      let stop: Unsubscribe | null = null;
      let cancelled = false;
      load().then(
        ({ db, fs }) => {
          if (cancelled) return;
          stop = withListenRetry(
            (first, err) =>
              fs.onSnapshot(
                fs.doc(db, 'tenants', tenantId, 'experiments', id),
                (snap) => {
                  first();
                  onData(snap.exists() ? ({ ...snap.data(), id: snap.id } as Experiment) : null);
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
