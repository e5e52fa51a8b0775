import { Box, Chip, IconButton, InputAdornment, TextField, Typography } from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import { useId, useState } from 'react';

/** A list of strings edited as chips: type + Enter (or the add button) adds, chip delete removes. */
export function ListInput({
  label,
  values,
  onChange,
  helperText,
  error,
  validate,
  placeholder,
  multiline,
}: {
  label: string;
  values: string[];
  onChange: (v: string[]) => void;
  helperText?: string;
  error?: string;
  validate?: (v: string) => string | null;
  placeholder?: string;
  multiline?: boolean;
}) {
  const [draft, setDraft] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const id = useId();
  const add = () => {
    const v = draft.trim();
    if (!v) return;
    const problem = validate?.(v) ?? null;
    if (problem) {
      setLocalError(problem);
      return;
    }
    if (values.includes(v)) {
      setLocalError(`"${v}" is already in the list`);
      return;
    }
    onChange([...values, v]);
    setDraft('');
    setLocalError(null);
  };
  const shownError = localError ?? error;
  return (
    <Box>
      <TextField
        id={id}
        label={label}
        value={draft}
        placeholder={placeholder}
        multiline={multiline}
        onChange={(e) => {
          setDraft(e.target.value);
          setLocalError(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !(multiline && e.shiftKey)) {
            e.preventDefault();
            add();
          }
        }}
        error={!!shownError}
        helperText={shownError ?? helperText ?? 'Press Enter to add'}
        fullWidth
        slotProps={{
          input: {
            endAdornment: (
              <InputAdornment position="end">
                <IconButton aria-label={`Add to ${label}`} onClick={add} edge="end">
                  <AddIcon />
                </IconButton>
              </InputAdornment>
            ),
          },
        }}
      />
      <Box
        component="ul"
        aria-label={`${label} list`}
        sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, listStyle: 'none', p: 0, m: 0, mt: 1 }}
      >
        {values.map((v) => (
          <li key={v}>
            <Chip label={v} onDelete={() => onChange(values.filter((x) => x !== v))} sx={{ maxWidth: '100%' }} />
          </li>
        ))}
        {values.length === 0 && (
          <Typography variant="body2" color="text.secondary" component="li">
            None yet
          </Typography>
        )}
      </Box>
    </Box>
  );
}
