import { useEffect, useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  LinearProgress,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import { useApi, useServices, useSession } from '../../app/services';
import { ErrorAlert, PageHeader } from '../../components/States';
import type { MetricImport } from '../../api/types';

/** Follows the import's progress document live (Firestore listener); falls back to the API. */
function useImport(id: string | null, tenantId: string | null | undefined) {
  const services = useServices();
  const api = services.api;
  const [doc, setDoc] = useState<MetricImport | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!id || !tenantId) return;
    const sub = services.imports;
    if (sub) return sub.importDoc(tenantId, id, (d) => d && setDoc(d), setError);
    let stopped = false;
    const tick = async () => {
      try {
        const d = await api.getImport(id);
        if (stopped) return;
        setDoc(d);
        if (d.status !== 'succeeded' && d.status !== 'failed') setTimeout(tick, 500);
      } catch (e) {
        setError(e);
      }
    };
    void tick();
    return () => {
      stopped = true;
    };
  }, [id, tenantId, api, services]);
  return { doc, error };
}

export default function ImportPage() {
  const api = useApi();
  const { me } = useSession();
  const [file, setFile] = useState<File | null>(null);
  const [platform, setPlatform] = useState('');
  const [currency, setCurrency] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [importId, setImportId] = useState<string | null>(null);
  const { doc, error: liveError } = useImport(importId, me?.tenant_id);

  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const started = await api.importReport(file, {
        filename: file.name,
        platform: platform || undefined,
        currency: currency || undefined,
      });
      setImportId(started.id);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const done = doc && (doc.status === 'succeeded' || doc.status === 'failed');
  const progress = doc && doc.chunks_total ? (100 * doc.chunks_done) / doc.chunks_total : done ? 100 : undefined;

  return (
    <>
      <PageHeader
        title="Import performance"
        subtitle="Google Ads ad or asset reports and Meta Ads Manager exports (CSV or Excel .csv), one row per day."
      />
      <Card sx={{ mb: 3 }}>
        <CardContent>
          <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: { md: 'center' } }}>
            <Button variant="outlined" component="label" startIcon={<UploadFileIcon />}>
              {file ? file.name : 'Choose report file'}
              <input
                hidden
                type="file"
                accept=".csv,.tsv,.txt,text/csv"
                aria-label="Report file"
                data-testid="report-file"
                onChange={(e) => setFile(e.target.files?.[0] ?? null)}
              />
            </Button>
            <TextField select label="Platform" value={platform} onChange={(e) => setPlatform(e.target.value)} sx={{ minWidth: 180 }}>
              <MenuItem value="">Detect</MenuItem>
              <MenuItem value="google_ads">Google Ads</MenuItem>
              <MenuItem value="meta">Meta</MenuItem>
            </TextField>
            <TextField
              label="Account currency"
              helperText="Only for reports without a currency column"
              value={currency}
              onChange={(e) => setCurrency(e.target.value.toUpperCase().slice(0, 3))}
              sx={{ width: 200 }}
            />
            <Button variant="contained" disabled={!file || busy} onClick={() => void upload()}>
              Import
            </Button>
          </Stack>
          <ErrorAlert error={error ?? liveError} title="The import could not start" />
        </CardContent>
      </Card>
      {doc && (
        <Card>
          <CardContent>
            <Typography variant="h6" component="h2">
              {doc.filename}
            </Typography>
            <Typography role="status" data-testid="import-status">
              {doc.status === 'succeeded'
                ? `Done: ${doc.rows_matched} of ${doc.rows_total} rows matched, ${doc.facts_written} daily facts written`
                : doc.status === 'failed'
                  ? 'Failed'
                  : `${doc.status}…`}
            </Typography>
            <Box sx={{ my: 2 }}>
              <LinearProgress variant={progress === undefined ? 'indeterminate' : 'determinate'} value={progress ?? 0} aria-label="Import progress" />
            </Box>
            {doc.error && <Alert severity="error">{doc.error}</Alert>}
            {doc.warnings?.map((w) => (
              <Alert key={w} severity="warning" sx={{ mb: 1 }}>
                {w}
              </Alert>
            ))}
            {doc.skipped_totals > 0 && <Typography color="text.secondary">Skipped {doc.skipped_totals} total rows.</Typography>}
            {doc.problem_count > 0 && (
              <>
                <Typography variant="subtitle1" component="h3" sx={{ mt: 2 }}>
                  Rows not used ({doc.problem_count})
                </Typography>
                <Table size="small" aria-label="Rows not used">
                  <TableHead>
                    <TableRow>
                      <TableCell>Line</TableCell>
                      <TableCell>Reason</TableCell>
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {doc.problems.map((p) => (
                      <TableRow key={`${p.line}-${p.reason}`}>
                        <TableCell>{p.line}</TableCell>
                        <TableCell>{p.reason}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </>
            )}
          </CardContent>
        </Card>
      )}
    </>
  );
}
