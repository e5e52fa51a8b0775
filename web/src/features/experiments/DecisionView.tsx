import { Alert, Box, Chip, LinearProgress, Stack, Table, TableBody, TableCell, TableHead, TableRow, Tooltip, Typography } from '@mui/material';
import type { ExperimentDecision, ExperimentMetric, ExperimentOutcome } from '../../api/types';

const OUTCOME: Record<ExperimentOutcome, { label: string; severity: 'success' | 'info' | 'warning' | 'error' }> = {
  winner: { label: 'Winner found', severity: 'success' },
  losers: { label: 'Some arms can be dropped', severity: 'info' },
  inconclusive: { label: 'No winner yet', severity: 'info' },
  insufficient_data: { label: 'Not enough data yet', severity: 'warning' },
  blocked: { label: 'Decision blocked', severity: 'error' },
};

export function formatMetric(metric: ExperimentMetric, v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (metric === 'ctr' || metric === 'cvr') return `${(v * 100).toFixed(2)}%`;
  if (metric === 'conversions_per_impression') return `${(v * 1000).toFixed(2)}‰`;
  return v.toFixed(2); // CPA in currency, ROAS as a multiple
}
const pct = (p: number) => (p >= 0.9995 ? '>99.9%' : p <= 0.0005 ? '<0.1%' : `${(p * 100).toFixed(1)}%`);

/** Posterior 95% intervals on one shared axis, the mean as a dot; the winner in the primary colour. */
export function IntervalPlot({ decision }: { decision: ExperimentDecision }) {
  const arms = decision.arms.filter((a) => a.low !== null && a.high !== null);
  if (!arms.length) return null;
  const lo = Math.min(...arms.map((a) => a.low as number));
  const hi = Math.max(...arms.map((a) => a.high as number));
  const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 1;
  const [x0, x1] = [lo - pad, hi + pad];
  const W = 560;
  const left = 56;
  const row = 30;
  const H = arms.length * row + 28;
  const x = (v: number) => left + ((v - x0) / (x1 - x0)) * (W - left - 12);
  const ticks = [x0 + pad, (x0 + x1) / 2, x1 - pad];
  return (
    <Box component="figure" sx={{ m: 0, overflowX: 'auto' }}>
      <svg role="img" aria-label={`95% credible intervals of ${decision.metric} per arm`} viewBox={`0 0 ${W} ${H}`} width="100%" style={{ maxWidth: W }}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={4} y2={H - 22} stroke="#ccc" strokeDasharray="3 3" />
            <text x={x(t)} y={H - 6} fontSize="11" textAnchor="middle" fill="#555">
              {formatMetric(decision.metric, t)}
            </text>
          </g>
        ))}
        {arms.map((a, i) => {
          const y = 16 + i * row;
          const colour = a.status === 'winner' ? '#1b6c3a' : a.status === 'loser' ? '#9e9e9e' : '#3b5bdb';
          return (
            <g key={a.arm_id} data-testid={`interval-${a.label}`}>
              <text x={left - 8} y={y + 4} fontSize="13" textAnchor="end" fill="#222">
                {a.label}
              </text>
              <line x1={x(a.low as number)} x2={x(a.high as number)} y1={y} y2={y} stroke={colour} strokeWidth={6} strokeLinecap="round" opacity={0.55} />
              {a.mean !== null && <circle cx={x(a.mean)} cy={y} r={5} fill={colour} />}
            </g>
          );
        })}
      </svg>
      <Typography component="figcaption" variant="caption" color="text.secondary">
        Posterior mean (dot) and 95% credible interval (bar) of each arm's {decision.metric.toUpperCase()}.
      </Typography>
    </Box>
  );
}

/** The allocation advice in one sentence: where the budget should go now. */
export function budgetAdvice(decision: ExperimentDecision): string {
  if (decision.outcome === 'insufficient_data') return 'Keep the current split: budget advice starts once every arm has enough data.';
  if (decision.outcome === 'blocked') return 'No budget advice while the decision is blocked: fix the cause first.';
  const share = (a: ExperimentDecision['arms'][number]) => Math.round(a.allocation * 100);
  // by the shares as shown, then the likely best first
  const arms = [...decision.arms].sort((x, y) => share(y) - share(x) || y.prob_best - x.prob_best);
  const shares = arms.map((a) => `${a.label} ${share(a)}%`).join(', ');
  const winner = decision.arms.find((a) => a.status === 'winner');
  if (winner) return `Shift budget to ${winner.label}: ${shares}.`;
  const dropped = decision.arms.filter((a) => a.status === 'loser').map((a) => a.label);
  const drop = dropped.length ? ` ${dropped.join(', ')} can be paused.` : '';
  // Top-two Thompson sampling splits two open arms evenly: that settles them fastest.
  if (share(arms[0]) - share(arms[arms.length - 1]) < 2) return `Keep an even split (${shares}): it finds the better arm fastest.${drop}`;
  return `Where to shift budget: ${shares} (more to the likely best, enough to the runner-up to keep learning).${drop}`;
}

/** `titles`: what each arm is (its creative's first headline), by arm id. */
export function DecisionView({ decision, titles = {} }: { decision: ExperimentDecision; titles?: Record<string, string> }) {
  const o = OUTCOME[decision.outcome];
  return (
    <Stack spacing={2}>
      <Alert severity={o.severity} data-testid="decision" data-outcome={decision.outcome}>
        <strong>{o.label}.</strong> {decision.reason}
      </Alert>
      <Typography data-testid="budget-advice">{budgetAdvice(decision)}</Typography>
      <IntervalPlot decision={decision} />
      <Table size="small" aria-label="Arms">
        <TableHead>
          <TableRow>
            <TableCell>Arm</TableCell>
            <TableCell align="right">{decision.metric.toUpperCase()} (95% interval)</TableCell>
            <TableCell align="right">Probability to be best</TableCell>
            <TableCell align="right">
              <Tooltip title="How much of the metric you risk losing, on average, by choosing this arm now">
                <span>Expected loss</span>
              </Tooltip>
            </TableCell>
            <TableCell>Where to shift budget</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {decision.arms.map((a) => (
            <TableRow key={a.arm_id} data-testid={`arm-${a.label}`}>
              <TableCell>
                <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                  <strong>{a.label}</strong>
                  {titles[a.arm_id] && (
                    <Typography variant="body2" color="text.secondary" noWrap title={titles[a.arm_id]} sx={{ maxWidth: 260 }}>
                      “{titles[a.arm_id]}”
                    </Typography>
                  )}
                  {a.status !== 'open' && <Chip size="small" label={a.status} color={a.status === 'winner' ? 'success' : 'default'} />}
                </Stack>
              </TableCell>
              <TableCell align="right">
                {formatMetric(decision.metric, a.mean)} ({formatMetric(decision.metric, a.low)} – {formatMetric(decision.metric, a.high)})
              </TableCell>
              <TableCell align="right">{pct(a.prob_best)}</TableCell>
              <TableCell align="right">{a.relative_loss === null ? '—' : pct(a.relative_loss)}</TableCell>
              <TableCell sx={{ minWidth: 160 }}>
                <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
                  <LinearProgress variant="determinate" value={a.allocation * 100} sx={{ flex: 1, height: 8, borderRadius: 4 }} aria-label={`${a.label} budget share`} />
                  <span>{Math.round(a.allocation * 100)}%</span>
                </Stack>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Typography variant="caption" color="text.secondary">
        {decision.runtime_days} day{decision.runtime_days === 1 ? '' : 's'} of mature data
        {decision.window_start ? ` (${decision.window_start} – ${decision.window_end})` : ''}; engine {decision.engine_version}, seed {decision.seed}.
        Budget shares are top-two Thompson sampling weights with a 1% floor.
      </Typography>
    </Stack>
  );
}
