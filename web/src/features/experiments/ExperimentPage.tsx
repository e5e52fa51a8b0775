import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { Button, Chip, Stack, Typography } from '@mui/material';
import { hasRole, useApi, useServices, useSession } from '../../app/services';
import { ErrorAlert, Loading, PageHeader } from '../../components/States';
import type { Experiment } from '../../api/types';
import { DecisionView } from './DecisionView';

/** One experiment, live: the page follows the Firestore document the evaluator rewrites. */
export default function ExperimentPage() {
  const { id = '' } = useParams();
  const { me } = useSession();
  const { experiments } = useServices();
  const api = useApi();
  const [exp, setExp] = useState<Experiment | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const tenantId = me?.tenant_id;
  useEffect(() => {
    if (!tenantId) return;
    if (!experiments) {
      api.getExperiment(id).then(setExp, setError);
      return;
    }
    return experiments.experiment(tenantId, id, setExp, setError);
  }, [tenantId, id, experiments, api]);
  const act = async (fn: () => Promise<Experiment>) => {
    setBusy(true);
    setError(null);
    try {
      const e = await fn();
      if (!experiments) setExp(e);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  if (error && exp === undefined) return <ErrorAlert error={error} title="Cannot load the experiment" />;
  if (exp === undefined) return <Loading label="Loading the experiment" />;
  if (exp === null) return <ErrorAlert error={new Error('This experiment does not exist.')} title="Not found" />;
  const canEdit = hasRole(me?.role, 'editor');
  return (
    <>
      <PageHeader title={exp.name} subtitle={`${exp.metric.toUpperCase()} · ${exp.arms.map((a) => a.label).join(' vs ')} · since ${exp.start_date}`} />
      <Stack direction="row" spacing={1} sx={{ mb: 2, alignItems: 'center' }}>
        <Chip label={exp.status} data-testid="experiment-status" />
        {canEdit && exp.status === 'running' && (
          <Button size="small" disabled={busy} onClick={() => void act(() => api.stopExperiment(exp.id))}>
            Stop
          </Button>
        )}
        {canEdit && exp.status !== 'archived' && (
          <Button size="small" disabled={busy} onClick={() => void act(() => api.archiveExperiment(exp.id))}>
            Archive
          </Button>
        )}
      </Stack>
      {error != null && <ErrorAlert error={error} />}
      {exp.decision ? (
        <DecisionView decision={exp.decision} />
      ) : (
        <Typography color="text.secondary" data-testid="decision-pending">
          The first decision is being computed; it appears here as soon as it is ready.
        </Typography>
      )}
    </>
  );
}
