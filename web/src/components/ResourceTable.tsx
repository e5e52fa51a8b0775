import type { ReactNode } from 'react';
import { Box, Table, TableBody, TableCell, TableContainer, TableHead, TableRow } from '@mui/material';
import type { Loaded } from '../lib/useLoad';
import { ErrorAlert, Loading } from './States';

export interface Column {
  label: string;
  align?: 'right';
  /** Read by screen readers only (an actions column needs a name, not a visible heading). */
  hidden?: boolean;
}

/** A loaded list as a table: its loading state, its error with a retry, an empty state, rows. */
export function ResourceTable<T>({
  resource,
  label,
  columns,
  rowKey,
  row,
  empty,
  spaced = false,
  noun = label.toLowerCase(),
}: {
  resource: Pick<Loaded<{ items: T[] }>, 'data' | 'error' | 'loading' | 'reload'>;
  label: string;
  columns: Column[];
  rowKey: (item: T) => string;
  /** The cells of one row. */
  row: (item: T) => ReactNode;
  /** Shown instead of an empty table; without it an empty list shows the headings alone. */
  empty?: ReactNode;
  spaced?: boolean;
  /** What is loading, for the progress bar's name ("Loading members"). */
  noun?: string;
}) {
  const items = resource.data?.items;
  return (
    <>
      {resource.loading && <Loading label={`Loading ${noun}`} />}
      <ErrorAlert error={resource.error} onRetry={resource.reload} />
      {items && items.length === 0 && empty && <Box sx={{ mt: spaced ? 2 : 0 }}>{empty}</Box>}
      {items && (items.length > 0 || !empty) && (
        <TableContainer sx={{ mt: spaced ? 2 : 0 }}>
          <Table size="small" aria-label={label}>
            <TableHead>
              <TableRow>
                {columns.map((c) => (
                  <TableCell key={c.label} align={c.align}>
                    {c.hidden ? (
                      <span className="visually-hidden" style={{ position: 'absolute', left: -9999 }}>
                        {c.label}
                      </span>
                    ) : (
                      c.label
                    )}
                  </TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {items.map((item) => (
                <TableRow key={rowKey(item)}>{row(item)}</TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </>
  );
}
