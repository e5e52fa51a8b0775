import { Navigate, Link as RouterLink, useSearchParams } from 'react-router';
import { Card, CardContent, Container, Link, Typography } from '@mui/material';
import { useSession } from '../../app/services';
import { authErrorMessage } from '../../app/authErrors';
import { AuthForm } from './AuthForm';

export default function AuthPage({ mode }: { mode: 'signin' | 'signup' }) {
  const { user, signIn, signUp } = useSession();
  const [params] = useSearchParams();
  const next = params.get('next');
  const safeNext = next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
  if (user) return <Navigate to={safeNext} replace />;
  const other = mode === 'signin' ? '/signup' : '/signin';
  const otherHref = next ? `${other}?next=${encodeURIComponent(next)}` : other;
  return (
    <Container maxWidth="xs" sx={{ py: 4 }}>
      <Card>
        <CardContent sx={{ p: 3 }}>
          <Typography variant="h4" component="h1" gutterBottom>
            {mode === 'signin' ? 'Sign in' : 'Create your account'}
          </Typography>
          <AuthForm mode={mode} onSubmit={mode === 'signin' ? signIn : signUp} errorMessage={authErrorMessage} />
          <Typography sx={{ mt: 2 }}>
            {mode === 'signin' ? 'New to AdGenius? ' : 'Already have an account? '}
            <Link component={RouterLink} to={otherHref}>
              {mode === 'signin' ? 'Create an account' : 'Sign in'}
            </Link>
          </Typography>
        </CardContent>
      </Card>
    </Container>
  );
}
