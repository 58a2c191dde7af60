import { BackupOwnerReference } from './backup-options';
import * as barman from '../../imports/barmancloud.cnpg.io';
import * as cnpg from '../../imports/postgresql.cnpg.io';
import type { BackedUpPostgres, BackedUpPostgresProps } from '../backed-up-postgres';
import { quantityOf, renderResources, RenderedResources } from '../private/resources';
import { BARMAN_PLUGIN_NAME } from '../upstream/catalog';

// The specs BackedUpPostgres renders, in CNPG's field names: the generated functions type what we build and map
// it, so an escape-hatch patch in CNPG's spelling reaches the YAML exactly and a misspelt field is a schema finding.

/** The ObjectStore's spec: the storage's configuration, compression and encryption, the sidecar's resources and env. */
export function objectStoreSpec(pg: BackedUpPostgres, sidecarResources: RenderedResources): unknown {
  const rendered = pg.objectStorage._render();
  const encryption = pg.objectStorage._encryption;
  return barman.toJson_ObjectStoreSpec({
    retentionPolicy: pg.retentionPolicy.value,
    configuration: {
      ...rendered.configuration,
      wal: {
        compression: pg.walCompression as string as barman.ObjectStoreSpecConfigurationWalCompression,
        ...(encryption ? { encryption: encryption as string as barman.ObjectStoreSpecConfigurationWalEncryption } : {}),
      },
      data: {
        compression: pg.dataCompression as string as barman.ObjectStoreSpecConfigurationDataCompression,
        ...(encryption ? { encryption: encryption as string as barman.ObjectStoreSpecConfigurationDataEncryption } : {}),
      },
    },
    instanceSidecarConfiguration: {
      resources: quantities(sidecarResources,
        barman.ObjectStoreSpecInstanceSidecarConfigurationResourcesRequests.fromString,
        barman.ObjectStoreSpecInstanceSidecarConfigurationResourcesLimits.fromString),
      ...(rendered.env.length ? { env: [...rendered.env] } : {}),
    },
  });
}

/** The Cluster's spec: instances, storage, image, bootstrap, and the plugin as WAL archiver. */
export function clusterSpec(pg: BackedUpPostgres, props: BackedUpPostgresProps): unknown {
  const annotations = pg.serviceAccountAnnotations;
  return cnpg.toJson_ClusterSpec({
    instances: pg.instances,
    imageName: pg.imageName,
    storage: { size: quantityOf(pg.storageSize), ...(props.storageClass ? { storageClass: props.storageClass } : {}) },
    ...(props.walStorageSize ? {
      walStorage: { size: quantityOf(props.walStorageSize), ...(props.walStorageClass ? { storageClass: props.walStorageClass } : {}) },
    } : {}),
    ...(props.resources ? {
      resources: quantities(renderResources(props.resources),
        cnpg.ClusterSpecResourcesRequests.fromString,
        cnpg.ClusterSpecResourcesLimits.fromString),
    } : {}),
    ...(props.postgresqlParameters ? { postgresql: { parameters: { ...props.postgresqlParameters } } } : {}),
    bootstrap: {
      initdb: {
        database: pg.database,
        owner: pg.owner,
        ...(pg.restoreSecretName ? { secret: { name: pg.restoreSecretName } } : {}),
      },
    },
    plugins: [{
      name: BARMAN_PLUGIN_NAME,
      isWalArchiver: true,
      parameters: { barmanObjectName: pg.objectStoreName, serverName: pg.serverName },
    }],
    ...(Object.keys(annotations).length ? { serviceAccountTemplate: { metadata: { annotations } } } : {}),
  });
}

/** The ScheduledBackup's spec: the schedule, through the plugin. */
export function scheduledBackupSpec(pg: BackedUpPostgres, props: BackedUpPostgresProps): unknown {
  return cnpg.toJson_ScheduledBackupSpec({
    cluster: { name: pg.clusterName },
    schedule: pg.schedule.expression,
    immediate: pg.immediateBackup,
    backupOwnerReference: (props.backupOwnerReference ?? BackupOwnerReference.NONE) as string as cnpg.ScheduledBackupSpecBackupOwnerReference,
    method: cnpg.ScheduledBackupSpecMethod.PLUGIN,
    pluginConfiguration: { name: BARMAN_PLUGIN_NAME },
    ...(props.backupTarget ? { target: props.backupTarget as string as cnpg.ScheduledBackupSpecTarget } : {}),
  });
}

/** Wraps rendered quantities in the generated int-or-string classes. */
function quantities<R, L>(r: RenderedResources, request: (v: string) => R, limit: (v: string) => L)
  : { requests?: Record<string, R>; limits?: Record<string, L> } {
  const wrap = <T>(m: Record<string, string> | undefined, f: (v: string) => T) =>
    m && Object.fromEntries(Object.entries(m).map(([k, v]) => [k, f(v)]));
  return { requests: wrap(r.requests, request), limits: wrap(r.limits, limit) };
}
