import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { CssBaseline, ThemeProvider } from '@mui/material';
import { theme } from './theme';
import { loadAppConfig } from './app/config';
import { Root } from './app/Root';

const rootEl = document.getElementById('root')!;
const root = createRoot(rootEl);

function Fatal({ message }: { message: string }) {
  return (
    <main style={{ fontFamily: 'sans-serif', padding: 24 }}>
      <h1>AdGenius cannot start</h1>
      <p role="alert">{message}</p>
    </main>
  );
}

loadAppConfig().then(
  (config) =>
    root.render(
      <StrictMode>
        <ThemeProvider theme={theme}>
          <CssBaseline />
          <Root config={config} />
        </ThemeProvider>
      </StrictMode>,
    ),
  (e: Error) => root.render(<Fatal message={e.message} />),
);
