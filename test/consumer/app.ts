// A separate cdk8s app that installs the packed cdk8s-cnpg package and uses its constructs.
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import {
  AppCredentials, BackedUpPostgres, BarmanPlugin, CertManager, CnpgOperator, ObjectStorage, PitrRestore,
  RecoveryTarget, S3Credentials, UpstreamHeaders,
} from 'cdk8s-cnpg';

const app = new App({ outdir: 'dist' });
const operators = new Chart(app, 'operators');
const operator = new CnpgOperator(operators, 'Cnpg');
new CertManager(operators, 'CertManager');
new BarmanPlugin(operators, 'Plugin', { operator });

const db = new Chart(app, 'db', { namespace: 'databases' });
const pg = new BackedUpPostgres(db, 'Orders', {
  clusterName: 'orders',
  storageSize: Size.gibibytes(5),
  credentials: AppCredentials.generated(),
  objectStorage: ObjectStorage.s3Compatible({
    endpointUrl: 'https://minio.example.lan:9000',
    bucket: 'pg-backups',
    path: 'orders',
    credentials: S3Credentials.fromSecret({ secretName: 'minio-credentials' }),
  }),
});
// cdk8s-plus objects mix with ours.
new kplus.ConfigMap(db, 'Conn', { data: { host: pg.readWriteServiceName } });
new PitrRestore(db, 'Restore', { source: pg, clusterName: 'orders-restore', target: RecoveryTarget.timestamp('2025-12-27 21:43:00+01:00') });
app.synth();
// Review headers on the files holding upstream installs.
UpstreamHeaders.write(app);
