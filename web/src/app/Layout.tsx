import { useState, type ReactNode } from 'react';
import { NavLink, useLocation } from 'react-router';
import {
  AppBar,
  Box,
  Button,
  Drawer,
  IconButton,
  Link,
  List,
  ListItem,
  ListItemButton,
  ListItemIcon,
  ListItemText,
  Toolbar,
  Typography,
  useMediaQuery,
  useTheme,
} from '@mui/material';
import MenuIcon from '@mui/icons-material/Menu';
import CampaignIcon from '@mui/icons-material/Campaign';
import PaletteIcon from '@mui/icons-material/Palette';
import CollectionsIcon from '@mui/icons-material/Collections';
import WorkHistoryIcon from '@mui/icons-material/WorkHistory';
import GroupIcon from '@mui/icons-material/Group';
import ScienceIcon from '@mui/icons-material/Science';
import SettingsIcon from '@mui/icons-material/Settings';
import InsightsIcon from '@mui/icons-material/Insights';
import { useSession } from './services';

const NAV = [
  { to: '/campaigns', label: 'Campaigns', icon: <CampaignIcon /> },
  { to: '/brands', label: 'Brand kits', icon: <PaletteIcon /> },
  { to: '/jobs', label: 'Jobs', icon: <WorkHistoryIcon /> },
  { to: '/gallery', label: 'Gallery', icon: <CollectionsIcon /> },
  { to: '/experiments', label: 'Experiments', icon: <ScienceIcon /> },
  { to: '/imports', label: 'Import performance', icon: <InsightsIcon /> },
  { to: '/team', label: 'Team & access', icon: <GroupIcon /> },
  { to: '/settings', label: 'Workspace', icon: <SettingsIcon />, owner: true },
];
const DRAWER = 248;

export function Layout({ children }: { children: ReactNode }) {
  const { user, me, signOut } = useSession();
  const theme = useTheme();
  const desktop = useMediaQuery(theme.breakpoints.up('md'));
  const [open, setOpen] = useState(false);
  const loc = useLocation();
  const showNav = !!user && !!me?.tenant_id;

  const nav = (
    <nav aria-label="Main">
      <Toolbar />
      <List>
        {NAV.filter((n) => !n.owner || me?.role === 'owner').map((n) => (
          <ListItem key={n.to} disablePadding>
          <ListItemButton
            component={NavLink}
            to={n.to}
            onClick={() => setOpen(false)}
            selected={loc.pathname.startsWith(n.to)}
          >
            <ListItemIcon sx={{ minWidth: 40, color: 'inherit' }}>{n.icon}</ListItemIcon>
            <ListItemText primary={n.label} />
          </ListItemButton>
          </ListItem>
        ))}
      </List>
    </nav>
  );

  return (
    <Box sx={{ display: 'flex', minHeight: '100vh' }}>
      <Link
        href="#main"
        sx={{
          position: 'absolute',
          left: -9999,
          zIndex: 2000,
          '&:focus': { left: 8, top: 8, bgcolor: 'background.paper', p: 1 },
        }}
      >
        Skip to content
      </Link>
      <AppBar position="fixed" sx={{ zIndex: (t) => t.zIndex.drawer + 1 }}>
        <Toolbar>
          {showNav && !desktop && (
            <IconButton edge="start" aria-label="Open navigation" onClick={() => setOpen(true)} sx={{ mr: 1 }}>
              <MenuIcon />
            </IconButton>
          )}
          <Typography variant="h6" component="p" sx={{ flexGrow: 1, fontWeight: 600 }}>
            AdGenius
          </Typography>
          {user && (
            <>
              <Typography variant="body2" sx={{ mr: 2, display: { xs: 'none', sm: 'block' } }} data-testid="user-email">
                {user.email}
                {me?.role ? ` · ${me.role}` : ''}
              </Typography>
              <Button variant="outlined" onClick={() => void signOut()}>
                Sign out
              </Button>
            </>
          )}
        </Toolbar>
      </AppBar>
      {showNav && (
        <Drawer
          variant={desktop ? 'permanent' : 'temporary'}
          open={desktop || open}
          onClose={() => setOpen(false)}
          sx={{ width: DRAWER, flexShrink: 0, '& .MuiDrawer-paper': { width: DRAWER, boxSizing: 'border-box' } }}
        >
          {nav}
        </Drawer>
      )}
      <Box component="main" id="main" tabIndex={-1} sx={{ flexGrow: 1, minWidth: 0, p: { xs: 2, sm: 3 }, outline: 'none' }}>
        <Toolbar />
        {children}
      </Box>
    </Box>
  );
}
