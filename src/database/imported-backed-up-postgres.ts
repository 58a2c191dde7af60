import { Chart, Size } from 'cdk8s';
import { Construct } from 'constructs';
import type { BackedUpPostgresAttributes, IBackedUpPostgres } from '../backed-up-postgres';
import { DEFAULT_POSTGRES_IMAGE } from '../upstream/catalog';

/** A database defined elsewhere: its attributes, no objects. */
export class ImportedBackedUpPostgres extends Construct implements IBackedUpPostgres {
  public readonly clusterName: string;
  public readonly namespace?: string;
  public readonly objectStoreName: string;
  public readonly serverName: string;
  public readonly destinationPath: string;
  public readonly imageName: string;
  public readonly database: string;
  public readonly owner: string;
  public readonly storageSize: Size;
  public readonly restoreSecretName?: string;
  public readonly serviceAccountAnnotations: { [key: string]: string };

  constructor(scope: Construct, id: string, attrs: BackedUpPostgresAttributes) {
    super(scope, id);
    this.objectStoreName = attrs.objectStoreName;
    this.serverName = attrs.serverName;
    this.destinationPath = attrs.destinationPath;
    this.clusterName = attrs.clusterName ?? attrs.serverName;
    this.namespace = attrs.namespace ?? Chart.of(this).namespace;
    this.imageName = attrs.imageName ?? DEFAULT_POSTGRES_IMAGE;
    this.database = attrs.database ?? 'app';
    this.owner = attrs.owner ?? 'app';
    this.storageSize = attrs.storageSize ?? Size.gibibytes(1);
    this.restoreSecretName = attrs.appSecretName;
    this.serviceAccountAnnotations = { ...attrs.serviceAccountAnnotations };
  }
}
