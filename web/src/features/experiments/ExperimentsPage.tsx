import { Link as RouterLink } from 'react-router';
import { Chip, Link, List, ListItem, ListItemText, Typography } from '@mui/material';
import { useApi } from '../../app/services';
import { useLoad } from '../../lib/useLoad';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../../components/States';

export default function ExperimentsPage() {
  const api = useApi();
  const list = useLoad(() => api.listExperiments({ limit: 100 }), [api]);
  return (
    <>
      <PageHeader title="Experiments" subtitle="Which creative wins, how sure we are, where the budget should go" />
      {list.error != null && <ErrorAlert error={list.error} />}
      {list.loading && <Loading />}
      {list.data && list.data.items.length === 0 && (
        <EmptyState title="No experiments yet">Pick two or more creatives of one campaign in the gallery and start an experiment.</EmptyState>
      )}
      <List>
        {(list.data?.items ?? []).map((e) => (
          <ListItem key={e.id} divider>
            <ListItemText
              primary={
                <Link component={RouterLink} to={`/experiments/${e.id}`}>
                  {e.name}
                </Link>
              }
              secondary={<Typography variant="body2">{e.decision?.reason ?? 'Waiting for the first decision.'}</Typography>}
            />
            <Chip size="small" label={e.status} />
          </ListItem>
        ))}
      </List>
    </>
  );
}
