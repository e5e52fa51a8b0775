import { useEffect, useId, useState } from 'react';
import { Box, Button, Stack, Typography } from '@mui/material';
import UploadIcon from '@mui/icons-material/Upload';
import { useApi } from '../../app/services';
import { ErrorAlert } from '../../components/States';

const TYPES = ['image/png', 'image/jpeg', 'image/webp'];
const MAX_BYTES = 5 * 1024 * 1024;

export function LogoUpload({ brandId, logoUrl, onUploaded }: { brandId: string; logoUrl?: string | null; onUploaded?: (url: string) => void }) {
  const api = useApi();
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview]);

  const choose = (f: File | undefined) => {
    setError(null);
    setDone(false);
    if (!f) return;
    if (!TYPES.includes(f.type)) return setProblem('Use a PNG, JPEG or WebP image');
    if (f.size > MAX_BYTES) return setProblem('The logo must be 5 MB or smaller');
    setProblem(null);
    setFile(f);
    setPreview(URL.createObjectURL(f));
  };
  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api.uploadLogo(brandId, file);
      setDone(true);
      onUploaded?.(r.logo_url);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const shown = preview ?? logoUrl;
  return (
    <Box>
      <Typography component="h2" variant="h6" gutterBottom>
        Logo
      </Typography>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: { sm: 'center' } }}>
        <Box
          sx={{ width: 120, height: 120, borderRadius: 3, border: 1, borderColor: 'divider', display: 'grid', placeItems: 'center', overflow: 'hidden', bgcolor: 'background.paper' }}
        >
          {shown ? (
            <img src={shown} alt={preview ? 'Logo preview' : 'Current logo'} style={{ maxWidth: '100%', maxHeight: '100%', objectFit: 'contain' }} />
          ) : (
            <Typography variant="caption" color="text.secondary">
              No logo
            </Typography>
          )}
        </Box>
        <Stack spacing={1}>
          <Button component="label" htmlFor={id} variant="outlined" startIcon={<UploadIcon />}>
            Choose image
            <input id={id} hidden type="file" accept={TYPES.join(',')} aria-label="Logo file" onChange={(e) => choose(e.target.files?.[0])} />
          </Button>
          <Button variant="contained" onClick={upload} disabled={!file || busy}>
            {busy ? 'Uploading…' : 'Upload logo'}
          </Button>
          {problem && (
            <Typography color="error" role="alert" variant="body2">
              {problem}
            </Typography>
          )}
          {done && (
            <Typography color="success.main" role="status" variant="body2">
              Logo uploaded
            </Typography>
          )}
        </Stack>
      </Stack>
      <ErrorAlert error={error} title="Logo upload failed" />
    </Box>
  );
}
