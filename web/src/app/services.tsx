import { createContext, useContext, type ReactNode } from 'react';
import type { Api } from '../api/client';
import type { JobSubscriber } from '../features/jobs/live';
import type { ExperimentSubscriber } from '../features/experiments/live';
import type { ImportSubscriber } from '../features/metrics/live';
import type { LoopSubscriber } from '../features/loop/live';
import type { Me, Role } from '../api/types';

export interface Services {
  api: Api;
  jobs: JobSubscriber;
  /** Live experiment documents; without it the experiment page reads the API once. */
  experiments?: ExperimentSubscriber;
  /** Live report-import progress (optional: tests and pages fall back to the API). */
  imports?: ImportSubscriber;
  /** Live loop candidates of a campaign (optional: without it the loop panel reads the API). */
  loop?: LoopSubscriber;
}
const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider({ value, children }: { value: Services; children: ReactNode }) {
  return <ServicesContext.Provider value={value}>{children}</ServicesContext.Provider>;
}
export function useServices(): Services {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('useServices outside ServicesProvider');
  return s;
}
export const useApi = () => useServices().api;

export interface Session {
  /** undefined while Firebase restores the session */
  user: { uid: string; email: string | null; emailVerified?: boolean } | null | undefined;
  me: Me | null;
  meError: Error | null;
  /** Force-refreshes the ID token (new custom claims) and reloads /v1/me. */
  refresh: () => Promise<Me | null>;
  signOut: () => Promise<void>;
  signIn: (email: string, password: string) => Promise<void>;
  signUp: (email: string, password: string) => Promise<void>;
  /** Sends the email-verification link (accepting an invitation needs a verified email). */
  sendVerification?: () => Promise<void>;
  /** Reloads the Firebase user (emailVerified) and force-refreshes the ID token. */
  reloadUser?: () => Promise<boolean>;
}
const SessionContext = createContext<Session | null>(null);
export function SessionProvider({ value, children }: { value: Session; children: ReactNode }) {
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 };
export function hasRole(role: Role | null | undefined, atLeast: Role): boolean {
  return !!role && RANK[role] >= RANK[atLeast];
}
