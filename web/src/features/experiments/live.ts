// Live listening to one experiment document (its latest decision) in Firestore, read-only.
// Firestore is loaded lazily (lib/liveFirestore); the subscriber is injectable for tests.
import type { FirebaseApp } from 'firebase/app';
import type { AppConfig } from '../../app/config';
import type { Experiment } from '../../api/types';
import { followDocument, type Unsubscribe } from '../../lib/liveFirestore';

export interface ExperimentSubscriber {
  experiment(tenantId: string, id: string, onData: (e: Experiment | null) => void, onError: (e: Error) => void): Unsubscribe;
}

export function firestoreExperimentSubscriber(app: FirebaseApp, config: AppConfig): ExperimentSubscriber {
  return {
    experiment: (tenantId, id, onData, onError) =>
      followDocument<Experiment>(app, config, ['tenants', tenantId, 'experiments', id], onData, onError),
  };
}
