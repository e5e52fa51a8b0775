import { useEffect, useMemo, useState, useCallback } from 'react';
import {
  createUserWithEmailAndPassword,
  onAuthStateChanged,
  sendEmailVerification,
  signInWithEmailAndPassword,
  signOut as fbSignOut,
  type User,
} from 'firebase/auth';
import type { AppConfig } from './config';
import { initFirebase } from './firebase';
import { createApi } from '../api/client';
import { firestoreJobSubscriber } from '../features/jobs/live';
import { firestoreExperimentSubscriber } from '../features/experiments/live';
import { firestoreImportSubscriber } from '../features/metrics/live';
import { firestoreLoopSubscriber } from '../features/loop/live';
import { ServicesProvider, SessionProvider, type Session } from './services';
import type { Me } from '../api/types';
import { App } from './App';

export function Root({ config }: { config: AppConfig }) {
  const fb = useMemo(() => initFirebase(config), [config]);
  const services = useMemo(
    () => ({
      api: createApi({
        baseUrl: config.apiBaseUrl,
        getToken: async () => (fb.auth.currentUser ? fb.auth.currentUser.getIdToken() : null),
      }),
      jobs: firestoreJobSubscriber(fb.app, config),
      experiments: firestoreExperimentSubscriber(fb.app, config),
      imports: firestoreImportSubscriber(fb.app, config),
      loop: firestoreLoopSubscriber(fb.app, config),
    }),
    [config, fb],
  );
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [me, setMe] = useState<Me | null>(null);
  const [meError, setMeError] = useState<Error | null>(null);
  const [verified, setVerified] = useState(false);

  const loadMe = useCallback(async () => {
    try {
      const m = await services.api.me();
      setMe(m);
      setMeError(null);
      return m;
    } catch (e) {
      setMeError(e as Error);
      return null;
    }
  }, [services]);

  useEffect(
    () =>
      onAuthStateChanged(fb.auth, (u) => {
        setMe(null);
        setMeError(null);
        setUser(u);
        setVerified(!!u?.emailVerified);
        if (u) void loadMe();
      }),
    [fb, loadMe],
  );

  const session: Session = useMemo(
    () => ({
      user: user === undefined ? undefined : user ? { uid: user.uid, email: user.email, emailVerified: verified } : null,
      me,
      meError,
      refresh: async () => {
        await fb.auth.currentUser?.getIdToken(true);
        return loadMe();
      },
      signOut: () => fbSignOut(fb.auth),
      signIn: async (email, password) => {
        await signInWithEmailAndPassword(fb.auth, email, password);
      },
      signUp: async (email, password) => {
        await createUserWithEmailAndPassword(fb.auth, email, password);
      },
      sendVerification: async () => {
        if (fb.auth.currentUser) await sendEmailVerification(fb.auth.currentUser);
      },
      reloadUser: async () => {
        const u = fb.auth.currentUser;
        if (!u) return false;
        await u.reload();
        await u.getIdToken(true); // the token's email_verified claim is what the API checks
        setVerified(u.emailVerified);
        return u.emailVerified;
      },
    }),
    [user, me, meError, fb, loadMe, verified],
  );

  return (
    <ServicesProvider value={services}>
      <SessionProvider value={session}>
        <App />
      </SessionProvider>
    </ServicesProvider>
  );
}
