// The one place the Material 3 look is defined (M3 baseline-like tonal palette, shapes, type).
import { createTheme } from '@mui/material/styles';

// M3 colour roles (seed #4F46A5). Contrast of text on these is >= 4.5:1.
const m3 = {
  primary: '#4f46a5',
  onPrimary: '#ffffff',
  primaryContainer: '#e3dfff',
  onPrimaryContainer: '#150067',
  secondary: '#5d5c72',
  secondaryContainer: '#e2e0f9',
  tertiary: '#7a4f63',
  error: '#ba1a1a',
  surface: '#fcf8ff',
  surfaceContainer: '#f1ecf7',
  surfaceContainerHigh: '#ebe6f1',
  onSurface: '#1c1b20',
  onSurfaceVariant: '#47464f',
  outline: '#787680',
  outlineVariant: '#c8c5d0',
};

export const theme = createTheme({
  palette: {
    mode: 'light',
    primary: { main: m3.primary, contrastText: m3.onPrimary, light: m3.primaryContainer, dark: m3.onPrimaryContainer },
    secondary: { main: m3.secondary },
    error: { main: m3.error },
    success: { main: '#1b6c35' },
    warning: { main: '#8a5100' },
    info: { main: '#0b5fa5' },
    background: { default: m3.surface, paper: '#ffffff' },
    text: { primary: m3.onSurface, secondary: m3.onSurfaceVariant },
    divider: m3.outlineVariant,
  },
  shape: { borderRadius: 12 },
  typography: {
    fontFamily: 'Roboto, "Helvetica Neue", Arial, sans-serif',
    h4: { fontSize: '1.75rem', fontWeight: 400, lineHeight: 1.3 },
    h5: { fontSize: '1.5rem', fontWeight: 400 },
    h6: { fontSize: '1.125rem', fontWeight: 500 },
    button: { textTransform: 'none', fontWeight: 500, letterSpacing: 0.1 },
  },
  components: {
    MuiButton: {
      defaultProps: { disableElevation: true },
      styleOverrides: { root: { borderRadius: 20, paddingInline: 24, minHeight: 40 } },
    },
    MuiCard: {
      defaultProps: { variant: 'outlined' },
      styleOverrides: { root: { borderRadius: 16, backgroundColor: '#ffffff' } },
    },
    MuiChip: { styleOverrides: { root: { borderRadius: 8 } } },
    MuiTextField: { defaultProps: { variant: 'outlined', size: 'medium' } },
    MuiDialog: { styleOverrides: { paper: { borderRadius: 28 } } },
    MuiAppBar: {
      defaultProps: { elevation: 0, color: 'default' },
      styleOverrides: { root: { backgroundColor: m3.surfaceContainer, color: m3.onSurface } },
    },
    MuiDrawer: { styleOverrides: { paper: { backgroundColor: m3.surfaceContainer, borderRight: 'none' } } },
    MuiListItemButton: {
      styleOverrides: {
        root: {
          borderRadius: 28,
          marginInline: 12,
          '&.active, &.Mui-selected': { backgroundColor: m3.secondaryContainer, fontWeight: 600 },
        },
      },
    },
    MuiLinearProgress: { styleOverrides: { root: { borderRadius: 4, height: 8 } } },
    MuiLink: { defaultProps: { underline: 'always' } },
  },
});
