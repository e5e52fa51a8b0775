import { lazy, Suspense, useState } from 'react';
import { useParams } from 'react-router';
import { Alert, Button, ButtonGroup, Card, CardContent, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import DownloadIcon from '@mui/icons-material/Download';
import { useApi } from '../../app/services';
import { useLoad } from '../../lib/useLoad';
import { ErrorAlert, Loading, PageHeader } from '../../components/States';
import type { ExportEncoding, ExportFormat, Totals } from '../../api/types';
import { TotalsTable } from './TotalsTable';
import { int, pct } from './format';

const DailyChart = lazy(() => import('./DailyChart'));

const EXPORTS: { label: string; format: ExportFormat; encoding: ExportEncoding }[] = [
  { label: 'Google Ads Editor (RSA, UTF-16)', format: 'google_rsa', encoding: 'utf16_tsv' },
  { label: 'RSA CSV (UTF-8)', format: 'google_rsa', encoding: 'utf8_csv' },
  { label: 'Performance Max (ZIP)', format: 'google_pmax', encoding: 'utf16_tsv' },
  { label: 'Meta bulk sheet (ZIP)', format: 'meta', encoding: 'utf8_csv' },
];

function sum(totals: Totals[], key: 'impressions' | 'clicks') {
  return totals.reduce((n, t) => n + t[key], 0);
}

export default function PerformancePage() {
  const { id = '' } = useParams();
  const api = useApi();
  const campaign = useLoad(() => api.getCampaign(id), [api, id]);
  const perf = useLoad(() => api.campaignPerformance(id), [api, id]);
  const creatives = useLoad(() => api.listCreatives({ campaign_id: id, limit: 100 }), [api, id]);
  const [exportError, setExportError] = useState<unknown>(null);
  const [exported, setExported] = useState<string | null>(null);

  const download = async (format: ExportFormat, encoding: ExportEncoding) => {
    setExportError(null);
    try {
      const r = await api.downloadExport(id, format, encoding);
      const url = URL.createObjectURL(r.blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = r.filename;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setExported(`${r.filename}: ${r.included} creatives exported, ${r.excluded} left out${r.excluded ? ' (see excluded.csv or the export plan)' : ''}`);
    } catch (e) {
      setExportError(e);
    }
  };

  const name = (cid: string) => {
    const c = creatives.data?.items.find((x) => x.id === cid);
    const f = (c?.fields ?? c?.content ?? {}) as Record<string, unknown>;
    const h = (Array.isArray(f.headlines) ? f.headlines[0] : f.headline) as string | undefined;
    return h ? `${h}` : cid;
  };
  const points = (perf.data?.daily ?? []).map((d) => ({ date: d.date, impressions: sum(d.totals, 'impressions'), clicks: sum(d.totals, 'clicks') }));

  return (
    <>
      <PageHeader title={campaign.data ? `${campaign.data.campaign.name}: performance` : 'Performance'} subtitle="Totals are sums of daily facts; every rate is a ratio of sums." />
      <Card sx={{ mb: 3 }}>
        <CardContent>
          <Typography variant="h6" component="h2" gutterBottom>
            Export for the ad platforms
          </Typography>
          <ButtonGroup variant="outlined" sx={{ flexWrap: 'wrap' }}>
            {EXPORTS.map((e) => (
              <Button key={e.label} startIcon={<DownloadIcon />} onClick={() => void download(e.format, e.encoding)}>
                {e.label}
              </Button>
            ))}
          </ButtonGroup>
          {exported && (
            <Alert severity="success" role="status" sx={{ mt: 2 }}>
              {exported}
            </Alert>
          )}
          <ErrorAlert error={exportError} title="The export failed" />
        </CardContent>
      </Card>
      {(perf.loading || campaign.loading) && <Loading />}
      <ErrorAlert error={perf.error ?? campaign.error} onRetry={perf.reload} />
      {perf.data && (
        <Stack spacing={3}>
          <Card>
            <CardContent>
              <Typography variant="h6" component="h2" gutterBottom>
                Campaign totals
              </Typography>
              <TotalsTable totals={perf.data.totals} caption="Campaign totals" />
              <Suspense fallback={<Loading label="Loading chart" />}>
                <DailyChart points={points} title="Per day" />
              </Suspense>
            </CardContent>
          </Card>
          <Card>
            <CardContent>
              <Typography variant="h6" component="h2" gutterBottom>
                Creatives
              </Typography>
              {perf.data.creatives.length === 0 ? (
                <Typography color="text.secondary">No creative has performance data yet: import a report.</Typography>
              ) : (
                <Table size="small" aria-label="Creative performance">
                  <TableHead>
                    <TableRow>
                      <TableCell>Creative</TableCell>
                      <TableCell align="right">Impressions</TableCell>
                      <TableCell align="right">Clicks</TableCell>
                      <TableCell align="right">CTR</TableCell>
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {perf.data.creatives.map((c) => (
                      <TableRow key={c.creative_id} data-testid={`creative-perf-${c.creative_id}`}>
                        <TableCell>{name(c.creative_id)}</TableCell>
                        <TableCell align="right">{int(c.overall.impressions)}</TableCell>
                        <TableCell align="right">{int(c.overall.clicks)}</TableCell>
                        <TableCell align="right">{pct(c.overall.ctr)}</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              )}
            </CardContent>
          </Card>
        </Stack>
      )}
    </>
  );
}
