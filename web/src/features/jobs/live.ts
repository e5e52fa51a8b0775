// Live listening to job documents in Firestore (read-only). Firestore is loaded lazily so it is
// not part of the initial bundle; the subscribe functions are injectable for tests.
import type { FirebaseApp } from 'firebase/app';
import type { AppConfig } from '../../app/config';
import type { Job, JobItem } from '../../api/types';
import { afterLoad, followDocument, withListenRetry, type LiveFirestore, type Unsubscribe } from '../../lib/liveFirestore';

export { withListenRetry, type Unsubscribe };

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

export function firestoreJobSubscriber(app: FirebaseApp, config: AppConfig): JobSubscriber {
  const lazy = (start: (m: LiveFirestore) => Unsubscribe, onError: (e: Error) => void) => afterLoad(app, config, start, onError);
  return {
    job: (tenantId, jobId, onData, onError) => followDocument<Job>(app, config, ['tenants', tenantId, 'jobs', jobId], onData, onError),
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
