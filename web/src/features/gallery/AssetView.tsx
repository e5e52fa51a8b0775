import { Box } from '@mui/material';
import type { Asset } from '../../api/types';

/** Shows an image in its own ratio, or a playable video. */
export function AssetView({ asset, label, compact }: { asset: Asset; label: string; compact?: boolean }) {
  const ratio = asset.width && asset.height ? `${asset.width} / ${asset.height}` : asset.ratio.replace(':', ' / ');
  const isVideo = asset.content_type.startsWith('video/');
  return (
    <Box
      sx={{
        aspectRatio: ratio,
        width: '100%',
        maxHeight: compact ? 180 : 420,
        bgcolor: 'grey.100',
        borderRadius: 2,
        overflow: 'hidden',
        display: 'flex',
        justifyContent: 'center',
      }}
      data-ratio={asset.ratio}
    >
      {!asset.url ? (
        <Box sx={{ alignSelf: 'center', color: 'text.secondary', fontSize: 14 }} role="img" aria-label={`${label}: no preview available`}>
          No preview
        </Box>
      ) : isVideo ? (
        <video src={asset.url ?? undefined} controls preload="metadata" aria-label={label} style={{ width: '100%', height: '100%', objectFit: 'contain' }} />
      ) : (
        <img src={asset.url ?? undefined} alt={label} loading="lazy" style={{ width: '100%', height: '100%', objectFit: 'contain' }} />
      )}
    </Box>
  );
}
