import { useCallback, useEffect, useRef } from 'react';
import { useSession } from '../../app/services';

/** A listener refused by the security rules (Firestore's `permission-denied`). */
export function isAccessDenied(e: unknown): boolean {
  return (e as { code?: string } | null)?.code === 'permission-denied';
}

/**
 * The security rules follow the server's member record, not the ID token: once a member is
 * removed, demoted, limited to other brands or the workspace is deleted, their listeners are
 * refused even with a token minted before. Then reload who we are (a fresh token and /v1/me), so
 * the app shows what access is left (onboarding when none) rather than only "updates stopped".
 * Returns an error handler for listeners; other errors are left to the caller.
 */
export function useReloadOnAccessDenied(): (e: Error) => void {
  const { refresh } = useSession();
  const latest = useRef(refresh);
  useEffect(() => {
    latest.current = refresh;
  }, [refresh]);
  return useCallback((e: Error) => {
    if (isAccessDenied(e)) void latest.current().catch(() => undefined);
  }, []);
}
