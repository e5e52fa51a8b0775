// Live listening to a report import's progress document (tenants/{t}/metric_imports/{id}).
// Firestore is loaded lazily (lib/liveFirestore), so it stays out of the initial bundle.
import type { FirebaseApp } from 'firebase/app';
import type { AppConfig } from '../../app/config';
import type { MetricImport } from '../../api/types';
import { followDocument, type Unsubscribe } from '../../lib/liveFirestore';

export interface ImportSubscriber {
  importDoc(tenantId: string, importId: string, onData: (doc: MetricImport | null) => void, onError: (e: Error) => void): Unsubscribe;
}

export function firestoreImportSubscriber(app: FirebaseApp, config: AppConfig): ImportSubscriber {
  return {
    importDoc: (tenantId, importId, onData, onError) =>
      followDocument<MetricImport>(app, config, ['tenants', tenantId, 'metric_imports', importId], onData, onError),
  };
}
