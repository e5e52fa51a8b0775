import { useState } from 'react';
import { Button, Dialog, DialogActions, DialogContent, DialogTitle, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useApi } from '../../app/services';
import { ErrorAlert } from '../../components/States';
import { EXPERIMENT_METRICS, type Creative, type Experiment, type ExperimentMetric } from '../../api/types';

/** Start an experiment between creatives picked in the gallery (one campaign). */
export function NewExperimentDialog({ open, creatives, titleOf, onClose, onCreated }: {
  open: boolean;
  creatives: Creative[];
  titleOf: (c: Creative) => string;
  onClose: () => void;
  onCreated: (e: Experiment) => void;
}) {
  const api = useApi();
  const [name, setName] = useState('');
  const [metric, setMetric] = useState<ExperimentMetric>('ctr');
  // UTC, like the server: a day is counted once it is complete in UTC.
  const today = new Date().toISOString().slice(0, 10);
  const [startDate, setStartDate] = useState(today);
  const startProblem = !/^\d{4}-\d{2}-\d{2}$/.test(startDate) ? 'Pick a day' : startDate > today ? 'Pick today or an earlier day' : null;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const campaigns = new Set(creatives.map((c) => c.campaign_id));
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const e = await api.createExperiment({
        campaign_id: creatives[0].campaign_id,
        name: name.trim() || `${creatives.length} creatives on ${metric.toUpperCase()}`,
        metric,
        arms: creatives.map((c) => ({ creative_id: c.id })),
        start_date: startDate,
      });
      onCreated(e);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>Start an experiment</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ mt: 1 }}>
          <Typography variant="body2">
            Arms: {creatives.map((c, i) => `${String.fromCharCode(65 + i)} “${titleOf(c)}”`).join(', ')}
          </Typography>
          {campaigns.size > 1 && <ErrorAlert error={new Error('Pick creatives of one campaign.')} />}
          <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} slotProps={{ htmlInput: { maxLength: 120 } }} />
          <TextField select label="Primary metric" value={metric} onChange={(e) => setMetric(e.target.value as ExperimentMetric)}>
            {EXPERIMENT_METRICS.map((m) => (
              <MenuItem key={m.value} value={m.value}>
                {m.label}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            type="date"
            label="Count performance from"
            value={startDate}
            onChange={(e) => setStartDate(e.target.value)}
            error={!!startProblem}
            helperText={startProblem ?? 'The day the arms started running side by side; earlier days are ignored. Only whole days count.'}
            slotProps={{ inputLabel: { shrink: true }, htmlInput: { max: today } }}
          />
          {error != null && <ErrorAlert error={error} />}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" disabled={busy || creatives.length < 2 || campaigns.size > 1 || !!startProblem} onClick={() => void submit()}>
          Start experiment
        </Button>
      </DialogActions>
    </Dialog>
  );
}
