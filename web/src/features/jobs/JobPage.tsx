import { useParams } from 'react-router';
import { useSession } from '../../app/services';
import { PageHeader } from '../../components/States';
import { JobProgress } from './JobProgress';

export default function JobPage() {
  const { id = '' } = useParams();
  const { me } = useSession();
  return (
    <>
      <PageHeader title="Job" subtitle={id} />
      {me?.tenant_id && <JobProgress tenantId={me.tenant_id} jobId={id} />}
    </>
  );
}
