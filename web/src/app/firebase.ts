import { initializeApp, type FirebaseApp } from 'firebase/app';
import {
  browserLocalPersistence,
  connectAuthEmulator,
  indexedDBLocalPersistence,
  initializeAuth,
  type Auth,
} from 'firebase/auth';
import type { AppConfig } from './config';

export interface FirebaseHandles {
  app: FirebaseApp;
  auth: Auth;
}

export function initFirebase(config: AppConfig): FirebaseHandles {
  const app = initializeApp({ projectId: config.projectId, apiKey: config.apiKey, authDomain: config.authDomain });
  // initializeAuth (not getAuth) keeps the popup/redirect code out of the bundle: email+password only.
  const auth = initializeAuth(app, { persistence: [indexedDBLocalPersistence, browserLocalPersistence] });
  if (config.emulators?.auth) connectAuthEmulator(auth, config.emulators.auth, { disableWarnings: true });
  return { app, auth };
}
