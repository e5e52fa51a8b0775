import { Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { Totals } from '../../api/types';
import { groupLabel, int, money, pct } from './format';

/** Totals per platform / attribution setting / currency: money is never added across currencies. */
export function TotalsTable({ totals, caption }: { totals: Totals[]; caption: string }) {
  if (!totals.length) return <Typography color="text.secondary">No performance data yet.</Typography>;
  return (
    <Table size="small" aria-label={caption}>
      <TableHead>
        <TableRow>
          <TableCell>Source</TableCell>
          <TableCell align="right">Impressions</TableCell>
          <TableCell align="right">Clicks</TableCell>
          <TableCell align="right">CTR</TableCell>
          <TableCell align="right">Conversions</TableCell>
          <TableCell align="right">Cost</TableCell>
          <TableCell align="right">ROAS</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {totals.map((t) => (
          <TableRow key={`${t.platform}-${t.attribution}-${t.currency}`}>
            <TableCell>{groupLabel(t)}</TableCell>
            <TableCell align="right">{int(t.impressions)}</TableCell>
            <TableCell align="right">{int(t.clicks)}</TableCell>
            <TableCell align="right">{pct(t.rates.ctr)}</TableCell>
            <TableCell align="right">{t.conversions.toFixed(2)}</TableCell>
            <TableCell align="right">{money(t.cost_micros, t.currency)}</TableCell>
            <TableCell align="right">{t.rates.roas == null ? '–' : t.rates.roas.toFixed(2)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
