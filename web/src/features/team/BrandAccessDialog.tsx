import { useEffect, useState } from 'react';
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormHelperText,
  FormLabel,
  Switch,
  Typography,
} from '@mui/material';
import type { Brand, Member } from '../../api/types';
import { ErrorAlert, Loading } from '../../components/States';

/** The API's limit (MAX_BRANDS_PER_MEMBER): brand ids travel in the token's claims. */
export const MAX_BRANDS_PER_MEMBER = 25;

/**
 * Edits a member's brand limit. `null` means every brand of the tenant. An empty list is
 * accepted by the API (the member then sees no brand), so it is allowed, with a warning.
 * Resolves `onSave` to true when saved; on an error the dialog stays open and shows it.
 */
export function BrandAccessDialog({
  member,
  brands,
  brandsLoading,
  brandsError,
  onClose,
  onSave,
}: {
  member: Member | null;
  brands: Brand[];
  brandsLoading: boolean;
  brandsError: unknown;
  onClose: () => void;
  onSave: (brandIds: string[] | null) => Promise<unknown>;
}) {
  const [all, setAll] = useState(true);
  const [selected, setSelected] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!member) return;
    const ids = member.brand_ids ?? null;
    setAll(ids === null);
    setSelected(ids ?? []);
    setError(null);
    setSaving(false);
  }, [member]);

  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
  // Keep the tenant's order; ids the list does not know (deleted brands) are kept as they are.
  const known = new Set(brands.map((b) => b.id));
  const unknown = selected.filter((id) => !known.has(id));
  const tooMany = !all && selected.length > MAX_BRANDS_PER_MEMBER;

  const save = async () => {
    setError(null);
    setSaving(true);
    try {
      const ordered = [...brands.map((b) => b.id).filter((id) => selected.includes(id)), ...unknown];
      await onSave(all ? null : ordered);
    } catch (e) {
      setError(e);
      setSaving(false);
    }
  };

  const titleId = 'brand-access-title';
  const helpId = 'brand-access-help';
  return (
    <Dialog open={!!member} onClose={saving ? undefined : onClose} aria-labelledby={titleId} aria-describedby={helpId} fullWidth maxWidth="sm">
      <DialogTitle id={titleId}>Brand access for {member?.email ?? member?.uid}</DialogTitle>
      <DialogContent>
        <Typography id={helpId} color="text.secondary" sx={{ mb: 1 }}>
          A member limited to some brands sees and changes only those brands and their campaigns and creatives.
        </Typography>
        <ErrorAlert error={error} title="Could not save brand access" />
        <FormControlLabel control={<Switch checked={all} onChange={(e) => setAll(e.target.checked)} />} label="All brands" />
        {!all && (
          <FormControl component="fieldset" variant="standard" error={tooMany} sx={{ display: 'block', mt: 1 }}>
            <FormLabel component="legend">Brands</FormLabel>
            {brandsLoading && <Loading label="Loading brands" />}
            <ErrorAlert error={brandsError} title="Could not load brands" />
            <FormGroup>
              {brands.map((b) => (
                <FormControlLabel key={b.id} control={<Checkbox checked={selected.includes(b.id)} onChange={() => toggle(b.id)} />} label={b.name} />
              ))}
              {unknown.map((id) => (
                <FormControlLabel key={id} control={<Checkbox checked onChange={() => toggle(id)} />} label={`${id} (unknown brand)`} />
              ))}
            </FormGroup>
            {!brandsLoading && brands.length === 0 && !brandsError && <Typography color="text.secondary">This workspace has no brands yet.</Typography>}
            <FormHelperText>
              {tooMany
                ? `Choose at most ${MAX_BRANDS_PER_MEMBER} brands.`
                : selected.length === 0
                  ? 'No brand selected: the member will see no brands.'
                  : `${selected.length} selected.`}
            </FormHelperText>
          </FormControl>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={saving}>
          Cancel
        </Button>
        <Button variant="contained" onClick={() => void save()} disabled={saving || tooMany}>
          Save
        </Button>
      </DialogActions>
    </Dialog>
  );
}
