// What the campaign's creatives teach: per attribute, the API's estimated effect on the metric
// with its interval, in plain words. A direction is claimed only when the whole interval is on
// one side of zero; otherwise the sentence says the data cannot tell yet.
import { useState } from 'react';
import { Card, CardContent, List, ListItem, ListItemText, MenuItem, TextField, Typography } from '@mui/material';
import { useApi } from '../../app/services';
import { useLoad } from '../../lib/useLoad';
import { ErrorAlert, Loading } from '../../components/States';
import type { CampaignInsights, InsightEffect } from '../../api/types';

const METRICS: Record<CampaignInsights['metric'], string> = {
  ctr: 'CTR',
  cvr: 'conversion rate',
  conversions_per_impression: 'conversions per impression',
};

export function pct(x: number): string {
  const v = Math.round(x * 100);
  return `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v)}%`;
}

function creatives(n: number): string {
  return `${n} creative${n === 1 ? '' : 's'}`;
}

/** One effect as a sentence that never claims more than its interval supports. */
export function effectSentence(e: InsightEffect, metric: CampaignInsights['metric'], level: number): string {
  const name = METRICS[metric];
  const [lo, hi] = e.interval;
  const range = `${Math.round(level * 100)}% interval ${pct(lo)} to ${pct(hi)}`;
  const total = e.creatives_with + e.creatives_without;
  const counts = `${creatives(total)}, ${e.creatives_with} with it`;
  const label = e.label.charAt(0).toUpperCase() + e.label.slice(1);
  // the API's `confident` is "the interval excludes zero"; checked here again on the numbers
  if (e.confident && (lo > 0 || hi < 0)) return `${label}: ${pct(e.relative_effect)} ${name} (${range}), ${counts}`;
  return `${label}: no clear effect on ${name} yet (${range}: it could go either way), ${counts}`;
}

export function InsightsView({ campaignId }: { campaignId: string }) {
  const api = useApi();
  const [metric, setMetric] = useState<CampaignInsights['metric']>('ctr');
  const insights = useLoad(() => api.campaignInsights(campaignId, { metric }), [api, campaignId, metric]);
  const data = insights.data;
  const clear = data?.effects.filter((e) => e.confident) ?? [];
  const open = data?.effects.filter((e) => !e.confident) ?? [];

  return (
    <Card data-testid="insights" sx={{ mt: 2 }}>
      <CardContent>
        <Typography variant="h6" gutterBottom>
          What works in this campaign
        </Typography>
        <TextField
          select
          size="small"
          label="Metric"
          value={metric}
          onChange={(e) => setMetric(e.target.value as CampaignInsights['metric'])}
          sx={{ mb: 2, minWidth: 220 }}
        >
          {Object.entries(METRICS).map(([value, label]) => (
            <MenuItem key={value} value={value}>
              {label}
            </MenuItem>
          ))}
        </TextField>
        {insights.loading && <Loading />}
        <ErrorAlert error={insights.error} onRetry={insights.reload} />
        {data && data.status === 'insufficient_data' && (
          <Typography color="text.secondary" data-testid="insights-insufficient">
            Not enough data to say yet: {data.reason}.
          </Typography>
        )}
        {data && data.status === 'ok' && (
          <>
            <Typography variant="body2" color="text.secondary">
              From {creatives(data.creatives)} between {data.start} and {data.end}. Effects are relative changes of{' '}
              {METRICS[data.metric]}; an interval that includes zero means the data cannot tell the direction.
            </Typography>
            {clear.length === 0 && (
              <Typography sx={{ mt: 1 }} data-testid="insights-none-clear">
                No attribute has a clear effect yet.
              </Typography>
            )}
            <List dense>
              {[...clear, ...open].map((e) => (
                <ListItem key={e.feature} data-testid={`effect-${e.feature}`} data-confident={e.confident ? 'yes' : 'no'}>
                  <ListItemText
                    primary={effectSentence(e, data.metric, data.level)}
                    slotProps={{ primary: { color: e.confident ? 'text.primary' : 'text.secondary' } }}
                  />
                </ListItem>
              ))}
            </List>
          </>
        )}
      </CardContent>
    </Card>
  );
}
