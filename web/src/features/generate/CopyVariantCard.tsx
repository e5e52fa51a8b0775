import { Box, Card, CardContent, Chip, List, ListItem, Stack, Typography } from '@mui/material';
import WarningIcon from '@mui/icons-material/WarningAmber';
import type { CopyVariant, Violation } from '../../api/types';
import { parseFieldRef, textLength } from '../../lib/textLength';
import { textFields } from '../../lib/copyFields';
import { HighlightedText, ViolationLine } from './HighlightedText';

const label = (f: string) => f.replace(/_/g, ' ').replace(/^\w/, (c) => c.toUpperCase());

function violationsFor(violations: Violation[], field: string, index: number | null, single: boolean) {
  return violations.filter((v) => {
    const r = parseFieldRef(v.field);
    if (r.name !== field) return false;
    if (r.index === null) return single; // whole-field violations are listed under the field
    return r.index === index;
  });
}

export function CopyVariantCard({ variant, platform, index }: { variant: CopyVariant; platform: string; index: number }) {
  const entries = textFields(variant.fields);
  const names = new Set(entries.map(([f]) => f));
  return (
    <Card component="article" aria-labelledby={`variant-${variant.id}`} data-testid="copy-variant">
      <CardContent>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
          <Typography id={`variant-${variant.id}`} variant="h6" component="h3" sx={{ flexGrow: 1 }}>
            Variant {index + 1}
          </Typography>
          <Chip
            size="small"
            color={variant.compliant ? 'success' : 'error'}
            label={variant.compliant ? 'Compliant' : `${variant.violations.length} issue${variant.violations.length === 1 ? '' : 's'}`}
          />
          {variant.compliance && variant.compliance.warnings > 0 && (
            <Chip size="small" color="warning" variant="outlined" label={`${variant.compliance.warnings} warning${variant.compliance.warnings === 1 ? '' : 's'}`} />
          )}
        </Stack>
        {variant.compliance?.special_ad_categories.length ? (
          <Typography variant="body2" color="warning.main" role="note" sx={{ mb: 1 }}>
            Declare the Meta special ad categor{variant.compliance.special_ad_categories.length === 1 ? 'y' : 'ies'}:{' '}
            {variant.compliance.special_ad_categories.map((c) => c.replace(/_/g, ' ')).join(', ')}
          </Typography>
        ) : null}
        {(variant.notes ?? []).map((note, i) => (
          <Typography key={i} variant="body2" color="text.secondary" role="note" sx={{ mb: 1 }}>
            {note}
          </Typography>
        ))}
        {entries.map(([field, items, isList]) => {
          const limit = variant.limits[field];
          const fieldWide = violationsFor(variant.violations, field, null, true);
          return (
            <Box key={field} component="section" sx={{ mb: 2 }} aria-label={label(field)}>
              <Typography variant="subtitle2" component="h4" color="text.secondary">
                {label(field)}
                {limit ? ` (max ${limit} characters)` : ''}
              </Typography>
              <List dense disablePadding>
                {items.map((text, i) => {
                  const n = textLength(text, platform);
                  const over = limit !== undefined && n > limit;
                  const vs = isList ? violationsFor(variant.violations, field, i, false) : [];
                  const bad = over || vs.some((v) => v.severity !== 'warning');
                  return (
                    <ListItem
                      key={i}
                      disableGutters
                      data-testid="copy-field"
                      data-invalid={bad ? 'true' : 'false'}
                      sx={{
                        display: 'block',
                        px: 1,
                        borderLeft: 4,
                        borderColor: bad ? 'error.main' : 'transparent',
                        bgcolor: bad ? 'rgba(186,26,26,0.06)' : undefined,
                        borderRadius: 1,
                        mb: 0.5,
                      }}
                    >
                      <Stack direction="row" spacing={1} sx={{ alignItems: 'baseline' }}>
                        <HighlightedText text={text} violations={vs} />
                        <Typography
                          variant="caption"
                          sx={{ color: over ? 'error.main' : 'text.secondary', fontWeight: over ? 700 : 400, whiteSpace: 'nowrap' }}
                          aria-label={`${n} of ${limit ?? 'no limit'} characters${over ? ', over the limit' : ''}`}
                        >
                          {n}
                          {limit ? `/${limit}` : ''}
                        </Typography>
                      </Stack>
                      {vs.map((v, j) => (
                        <Stack key={j} direction="row" spacing={0.5} sx={{ alignItems: 'center' }}>
                          <WarningIcon fontSize="inherit" aria-hidden color={v.severity === 'warning' ? 'warning' : 'error'} />
                          <ViolationLine violation={v} />
                        </Stack>
                      ))}
                    </ListItem>
                  );
                })}
              </List>
              {fieldWide.map((v, j) => (
                <Box key={j} role="note">
                  <ViolationLine violation={v} />
                </Box>
              ))}
            </Box>
          );
        })}
        {variant.violations.some((v) => !names.has(parseFieldRef(v.field).name)) && (
          <Box component="ul" sx={{ pl: 2 }}>
            {variant.violations
              .filter((v) => !names.has(parseFieldRef(v.field).name))
              .map((v, i) => (
                <Typography component="li" key={i} color="error" variant="body2">
                  {v.message}
                </Typography>
              ))}
          </Box>
        )}
      </CardContent>
    </Card>
  );
}
