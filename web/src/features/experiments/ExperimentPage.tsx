import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { Button, Chip, Stack, Typography } from '@mui/material';
import { hasRole, useApi, useServices, useSession } from '../../app/services';
import { ErrorAlert, Loading, PageHeader } from '../../components/States';
import type { Experiment } from '../../api/types';
import { creativeTitle } from '../gallery/CreativeCard';
import { DecisionView } from './DecisionView';

/** Each arm's creative as people know it (its first headline), by arm id; loaded once. */
function useArmTitles(exp: Experiment | null | undefined): Record<string, string> {
  const api = useApi();
  const [byCreative, setByCreative] = useState<Record<string, string>>({});
  const ids = Array.from(new Set((exp?.arms ?? []).map((a) => a.creative_id))).sort().join(',');
  useEffect(() => {
    if (!ids) return;
    let stopped = false;
    // A creative that cannot be read (deleted, or another brand) leaves its arm's label alone.
    const read = (id: string) => api.getCreative(id).then((c) => [[id, creativeTitle(c)]] as [string, string][], () => []);
    void Promise.all(ids.split(',').map(read)).then((rows) => !stopped && setByCreative(Object.fromEntries(rows.flat())));
    return () => {
      stopped = true;
    };
  }, [ids, api]);
  const out: Record<string, string> = {};
  for (const a of exp?.arms ?? []) if (byCreative[a.creative_id]) out[a.arm_id] = byCreative[a.creative_id];
  return out;
}

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
  const titles = useArmTitles(exp);
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
        <DecisionView decision={exp.decision} titles={titles} />
      ) : (
        <Typography color="text.secondary" data-testid="decision-pending">
          The first decision is being computed; it appears here as soon as it is ready.
        </Typography>
      )}
    </>
  );
}
