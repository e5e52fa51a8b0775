import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Alert, Card, CardContent, Stack } from '@mui/material';
import { useApi } from '../../app/services';
import { useLoad } from '../../lib/useLoad';
import { ErrorAlert, Loading, PageHeader } from '../../components/States';
import { BrandKitForm } from './BrandKitForm';
import { LogoUpload } from './LogoUpload';
import { AssetLibrary } from './AssetLibrary';
import type { Brand, BrandInput } from '../../api/types';

export default function BrandEditPage() {
  const { id } = useParams();
  const api = useApi();
  const navigate = useNavigate();
  const isNew = !id;
  const brand = useLoad<Brand | null>(() => (id ? api.getBrand(id) : Promise.resolve(null)), [api, id]);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  const save = async (input: BrandInput) => {
    setSaveError(null);
    setSaved(false);
    try {
      if (isNew) {
        const created = await api.createBrand(input);
        navigate(`/brands/${created.id}`, { replace: true });
      } else {
        brand.setData(await api.updateBrand(id!, input));
        setSaved(true);
      }
    } catch (e) {
      setSaveError(e);
    }
  };

  return (
    <>
      <PageHeader title={isNew ? 'New brand kit' : `Brand kit${brand.data ? `: ${brand.data.name}` : ''}`} />
      {brand.loading && <Loading label="Loading brand" />}
      <ErrorAlert error={brand.error} onRetry={brand.reload} title="Cannot load the brand" />
      {!brand.loading && !brand.error && (
        <Stack spacing={3}>
          {!isNew && brand.data && (
            <Card>
              <CardContent>
                <LogoUpload
                  brandId={brand.data.id}
                  logoUrl={brand.data.logo_url}
                  onUploaded={(url) => brand.setData((b) => (b ? { ...b, logo_url: url } : b))}
                />
              </CardContent>
            </Card>
          )}
          {!isNew && brand.data && (
            <Card>
              <CardContent>
                <AssetLibrary brandId={brand.data.id} />
              </CardContent>
            </Card>
          )}
          <Card>
            <CardContent>
              <ErrorAlert error={saveError} title="Could not save the brand" />
              {saved && (
                <Alert severity="success" role="status" sx={{ mb: 2 }}>
                  Saved
                </Alert>
              )}
              <BrandKitForm
                key={brand.data?.id ?? 'new'}
                initial={brand.data ?? undefined}
                onSubmit={save}
                serverError={saveError}
                submitLabel={isNew ? 'Create brand' : 'Save brand kit'}
              />
            </CardContent>
          </Card>
        </Stack>
      )}
    </>
  );
}
