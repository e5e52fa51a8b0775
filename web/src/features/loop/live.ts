// Live listening to a campaign's loop candidates (tenants/{t}/loop_candidates) in Firestore,
// read-only. Filtered by brand too, so the rules can prove a brand-limited member's query safe.
import type { FirebaseApp } from 'firebase/app';
import type { AppConfig } from '../../app/config';
import type { LoopCandidate } from '../../api/types';
import { afterLoad, type Unsubscribe } from '../../lib/liveFirestore';

export interface LoopSubscriber {
  candidates(
    tenantId: string,
    campaign: { id: string; brand_id: string },
    onData: (items: LoopCandidate[]) => void,
    onError: (e: Error) => void,
  ): Unsubscribe;
}

/** A candidate document as the API would return it: Firestore hands timestamps over as
 * Timestamp objects, the API as ISO strings; the panel orders candidates by `updated_at` and
 * mixes both (a click's answer replaces a listener's item), so both become ISO strings. */
export function plainCandidate(id: string, data: Record<string, unknown>): LoopCandidate {
  const iso = (v: unknown) =>
    v && typeof (v as { toDate?: unknown }).toDate === 'function' ? (v as { toDate: () => Date }).toDate().toISOString() : v;
  const out: Record<string, unknown> = { ...data, id };
  for (const key of ['created_at', 'updated_at']) out[key] = iso(data[key]);
  return out as unknown as LoopCandidate;
}

export function firestoreLoopSubscriber(app: FirebaseApp, config: AppConfig): LoopSubscriber {
  return {
    candidates: (tenantId, campaign, onData, onError) =>
      afterLoad(
        app,
        config,
        ({ db, fs }) =>
          fs.onSnapshot(
            fs.query(
              fs.collection(db, 'tenants', tenantId, 'loop_candidates'),
              fs.where('campaign_id', '==', campaign.id),
              fs.where('brand_id', '==', campaign.brand_id),
              fs.limit(100),
            ),
            (snap) => onData(snap.docs.map((d) => plainCandidate(d.id, d.data()))),
            onError,
          ),
        onError,
      ),
  };
}
