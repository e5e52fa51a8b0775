// The daily chart: uPlot (small, canvas) loaded only when a chart is shown, so it is not part
// of the initial bundle.
import { useEffect, useRef, useState } from 'react';
import { Box, Typography } from '@mui/material';

export interface DailyPoint {
  date: string;
  impressions: number;
  clicks: number;
}

export default function DailyChart({ points, title }: { points: DailyPoint[]; title: string }) {
  const ref = useRef<HTMLDivElement | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    if (!ref.current || !points.length) return;
    let chart: { destroy(): void } | null = null;
    let cancelled = false;
    Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(
      ([mod]) => {
        if (cancelled || !ref.current) return;
        const UPlot = mod.default;
        const xs = points.map((p) => Date.parse(`${p.date}T00:00:00Z`) / 1000);
        chart = new UPlot(
          {
            width: Math.max(320, ref.current.clientWidth || 640),
            height: 240,
            title,
            series: [
              {},
              { label: 'Impressions', stroke: '#1565c0', scale: 'imp' },
              { label: 'Clicks', stroke: '#e65100', scale: 'clk' },
            ],
            axes: [{}, { scale: 'imp' }, { scale: 'clk', side: 1, grid: { show: false } }],
          },
          [xs, points.map((p) => p.impressions), points.map((p) => p.clicks)],
          ref.current,
        );
      },
      (e: Error) => setFailed(e.message),
    );
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [points, title]);
  if (!points.length) return null;
  return (
    <Box>
      <div ref={ref} role="img" aria-label={`${title}: impressions and clicks per day`} data-testid="daily-chart" />
      {failed && <Typography color="error">Chart unavailable: {failed}</Typography>}
    </Box>
  );
}
