const MESSAGES: Record<string, string> = {
  'auth/email-already-in-use': 'An account with this email already exists. Sign in instead.',
  'auth/invalid-email': 'This email address is not valid.',
  'auth/weak-password': 'The password is too weak (at least 6 characters).',
  'auth/invalid-credential': 'Wrong email or password.',
  'auth/wrong-password': 'Wrong email or password.',
  'auth/user-not-found': 'Wrong email or password.',
  'auth/too-many-requests': 'Too many attempts. Try again in a moment.',
  'auth/network-request-failed': 'Cannot reach the sign-in service.',
};
export function authErrorMessage(e: unknown): string {
  const code = (e as { code?: string })?.code;
  return (code && MESSAGES[code]) || (e as Error)?.message || 'Sign-in failed.';
}
