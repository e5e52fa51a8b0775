import { Box, Link, Tooltip, Typography } from '@mui/material';
import type { Violation } from '../../api/types';

interface Segment {
  text: string;
  violations: Violation[];
}

/**
 * Splits `text` at the violations' spans. Spans count Unicode code points (the API's unit),
 * so the text is split with Array.from, never with UTF-16 indexes (an emoji is 2 of those).
 */
export function segments(text: string, violations: Violation[]): Segment[] {
  const chars = Array.from(text);
  const cuts = new Set<number>([0, chars.length]);
  const spans = violations.filter((v) => v.span && v.span[1] > v.span[0]);
  for (const v of spans) {
    cuts.add(Math.max(0, Math.min(chars.length, v.span![0])));
    cuts.add(Math.max(0, Math.min(chars.length, v.span![1])));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    if (a === b) continue;
    out.push({ text: chars.slice(a, b).join(''), violations: spans.filter((v) => v.span![0] < b && a < v.span![1]) });
  }
  return out;
}

const ruleLabel = (v: Violation) => `${v.rule}: ${v.message}`;

/** The text with each violating span marked: colour by severity, rule and message on hover. */
export function HighlightedText({ text, violations }: { text: string; violations: Violation[] }) {
  return (
    <Typography component="span" sx={{ flexGrow: 1, wordBreak: 'break-word' }} data-testid="copy-text">
      {segments(text, violations).map((s, i) => {
        if (!s.violations.length) return <span key={i}>{s.text}</span>;
        const error = s.violations.some((v) => v.severity === 'error');
        const label = s.violations.map(ruleLabel).join('; ');
        return (
          <Tooltip key={i} title={label}>
            <Box
              component="mark"
              data-rule={s.violations.map((v) => v.rule).join(' ')}
              data-severity={error ? 'error' : 'warning'}
              aria-label={`${s.text}: ${label}`}
              sx={{
                bgcolor: error ? 'rgba(186,26,26,0.18)' : 'rgba(191,120,0,0.18)',
                color: 'inherit',
                textDecoration: 'underline wavy',
                textDecorationColor: error ? '#ba1a1a' : '#bf7800',
                borderRadius: 0.5,
              }}
            >
              {s.text}
            </Box>
          </Tooltip>
        );
      })}
    </Typography>
  );
}

/** One line per violation: severity, message, rule id and a link to the policy page. */
export function ViolationLine({ violation }: { violation: Violation }) {
  const color = violation.severity === 'warning' ? 'warning.main' : 'error';
  return (
    <Typography variant="body2" color={color} data-testid="violation" sx={{ display: 'block' }}>
      {violation.message}{' '}
      <Typography component="code" variant="caption" sx={{ fontFamily: 'monospace' }}>
        {violation.rule}
      </Typography>
      {violation.source ? (
        <>
          {' · '}
          <Link href={violation.source} target="_blank" rel="noopener noreferrer" variant="caption">
            policy
          </Link>
        </>
      ) : null}
    </Typography>
  );
}
