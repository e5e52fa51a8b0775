import { Box, Card, CardContent, Chip, List, ListItem, Stack, Typography } from '@mui/material';
import WarningIcon from '@mui/icons-material/WarningAmber';
import type { CopyVariant, Violation } from '../../api/types';
import { parseFieldRef, textLength } from '../../lib/textLength';
import { textFields } from '../../lib/copyFields';

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
        </Stack>
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
                  const bad = over || vs.length > 0;
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
                        <Typography sx={{ flexGrow: 1, wordBreak: 'break-word' }}>{text}</Typography>
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
                        <Typography key={j} variant="body2" color="error" sx={{ display: 'flex', gap: 0.5, alignItems: 'center' }}>
                          <WarningIcon fontSize="inherit" aria-hidden /> {v.message}
                        </Typography>
                      ))}
                    </ListItem>
                  );
                })}
              </List>
              {fieldWide.map((v, j) => (
                <Typography key={j} variant="body2" color={v.severity === 'warning' ? 'warning.main' : 'error'} role="note">
                  {v.message}
                </Typography>
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
