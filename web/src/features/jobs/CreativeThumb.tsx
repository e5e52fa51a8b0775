import { Box, Typography } from '@mui/material';
import { useApi } from '../../app/services';
import { useLoad } from '../../lib/useLoad';
import { AssetView } from '../gallery/AssetView';

/** A finished job item: fetches its creative (through the API) and shows the first asset. */
export function CreativeThumb({ creativeId, ratio }: { creativeId: string; ratio?: string | null }) {
  const api = useApi();
  const c = useLoad(() => api.getCreative(creativeId), [api, creativeId]);
  const asset = c.data?.assets?.find((a) => !ratio || a.ratio === ratio) ?? c.data?.assets?.[0];
  return (
    <Box>
      {asset ? (
        <AssetView asset={asset} label={`Creative ${creativeId} ${asset.ratio}`} compact />
      ) : (
        <Box sx={{ aspectRatio: '1', bgcolor: 'action.hover', borderRadius: 2, display: 'grid', placeItems: 'center' }}>
          <Typography variant="caption">{c.loading ? 'Loading…' : ratio ?? 'Ready'}</Typography>
        </Box>
      )}
      <Typography variant="caption">{ratio}</Typography>
    </Box>
  );
}
