import { ApiObject, App, Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import type { BackedUpPostgres } from './backed-up-postgres';
import { Monitoring } from './backup-monitoring';
import { TimeOfDayOptions } from './backup-schedule';
import { PitrRestore } from './pitr-restore';
import { builtFromNotRendered, isNotRendered, PropErrors } from './private/errors';
import { checkImage } from './private/images';
import { checkClusterName } from './private/names';
import { RESTORE_DRILL_SCRIPT } from './private/restore-drill-script';
import { cronJobSchedulePeriodSeconds } from './private/schedule-period';
import { RecoveryTarget } from './recovery-target';

/** The kubectl image the drill runs in: kubectl's own release image (Debian based, with sh and coreutils). */
const DEFAULT_DRILL_IMAGE = 'registry.k8s.io/kubectl:v1.33.4';
const TARGET_PLACEHOLDER = '__DRILL_TARGET_TIME__';
const PLACEHOLDER_DATE = new Date('2000-01-01T00:00:00Z');
const DEFAULT_RUNBOOK_URL = 'https://github.com/cdk8s-cnpg/cdk8s-cnpg';
/** The alert a `RestoreDrill` defines (a README runbook section). */
const DRILL_ALERT = 'PostgresRestoreDrillNotSucceeding';

/** Options for a weekly drill. */
export interface WeeklyDrillOptions extends TimeOfDayOptions {
  /**
   * Day of the week, 0 (Sunday) to 6.
   * @default 0
   */
  readonly dayOfWeek?: number;
}

/**
 * When a restore drill runs: a Kubernetes CronJob schedule (five fields, minute first, in the controller's time
 * zone, UTC unless set otherwise), unlike a backup schedule.
 */
export class DrillSchedule {
  /**
   * Once a week: `<minute> <hour> * * <dayOfWeek>`.
   *
   * @example DrillSchedule.weekly({ dayOfWeek: 1, hour: 4 })
   */
  public static weekly(options: WeeklyDrillOptions = {}): DrillSchedule {
    return new DrillSchedule(`${options.minute ?? 0} ${options.hour ?? 0} * * ${options.dayOfWeek ?? 0}`);
  }

  /**
   * Once a day: `<minute> <hour> * * *`.
   *
   * @example DrillSchedule.daily({ hour: 4 })
   */
  public static daily(options: TimeOfDayOptions = {}): DrillSchedule {
    return new DrillSchedule(`${options.minute ?? 0} ${options.hour ?? 0} * * *`);
  }

  /**
   * Any five-field CronJob schedule, checked at synth.
   *
   * @example DrillSchedule.cron('30 4 1 * *') // 04:30 on the first of every month
   */
  public static cron(expression: string): DrillSchedule {
    return new DrillSchedule(expression);
  }

  /** The five-field expression. */
  public readonly expression: string;

  private constructor(expression: string) {
    this.expression = expression;
  }
}

/** Props for `RestoreDrill`. */
export interface RestoreDrillProps {
  /** The database whose backups the drill restores. */
  readonly source: BackedUpPostgres;
  /**
   * When the drill runs.
   * @default DrillSchedule.weekly({ hour: 4 }) (Sunday 04:00)
   */
  readonly schedule?: DrillSchedule;
  /**
   * How far back from the drill's start the restore targets: it needs WAL archived up to that moment (CNPG
   * switches WAL at least every 5 minutes while the database is written to).
   * @default Duration.minutes(15)
   */
  readonly recoveryAge?: Duration;
  /**
   * How long the restore may take to be Ready and answer the probe; the drill fails after it (and deletes the
   * restore).
   * @default Duration.hours(1)
   */
  readonly deadline?: Duration;
  /**
   * The probe query, run with psql on the restored primary in the application database.
   * @default 'select 1'
   */
  readonly probeSql?: string;
  /**
   * The fewest rows the probe must return for the drill to pass.
   * @default - any result, even none, passes
   */
  readonly minimumRows?: number;
  /**
   * The name of the throw-away restored Cluster.
   * @default '<source cluster>-drill'
   */
  readonly restoreClusterName?: string;
  /**
   * The name of the CronJob, its ServiceAccount, Role, RoleBinding, ConfigMap and PrometheusRule (at most 52
   * characters, the CronJob limit).
   * @default '<source cluster>-restore-drill'
   */
  readonly name?: string;
  /**
   * The image with `kubectl`, `sh` and coreutils the drill runs in, pinned.
   * @default 'registry.k8s.io/kubectl:v1.33.4'
   */
  readonly image?: string;
  /**
   * The PrometheusRule with the alert on a drill that has not succeeded for 1.5 of its periods (reads
   * kube-state-metrics).
   * @default Monitoring.prometheusOperator()
   */
  readonly monitoring?: Monitoring;
}

/**
 * A restore drill: a CronJob that restores a `BackedUpPostgres` from its backups into a throw-away `PitrRestore`
 * to "now minus `recoveryAge`", waits for it with a deadline, runs a probe query, records the result (job status,
 * log and termination message) and always deletes the restore. Its RBAC allows no more than that: create
 * Clusters in its namespace; get and delete only its restore; get and exec only its restore's pod. An alert fires
 * when the drill has not succeeded for 1.5 of its periods, so a drill that rots is noticed.
 *
 * The drill must live in the source's namespace.
 */
export class RestoreDrill extends Construct {
  // Not all set when the props have errors: synth then fails with them, before anything is written.
  /** The CronJob schedule. */
  public readonly schedule!: DrillSchedule;
  /** The name of the restored Cluster. */
  public readonly restoreClusterName!: string;
  /** The name of the CronJob and its RBAC objects. */
  public readonly name!: string;
  /** The longest gap between two runs, in seconds. */
  public readonly periodSeconds!: number;
  /** The `CronJob` (also the default child). */
  public readonly cronJob!: ApiObject;
  /** The alert's `PrometheusRule`; undefined with `Monitoring.none()`. */
  public readonly prometheusRule?: ApiObject;

  constructor(scope: Construct, id: string, props: RestoreDrillProps) {
    super(scope, id);
    const errors = new PropErrors(this);
    const source = props?.source;
    if (!source) {
      errors.add('source', 'is required', source, 'pass the BackedUpPostgres to restore');
    }
    if (errors.report() || builtFromNotRendered(this, source)) return;
    this.schedule = props.schedule ?? DrillSchedule.weekly({ hour: 4 });
    this.restoreClusterName = props.restoreClusterName ?? `${source.clusterName}-drill`;
    this.name = props.name ?? `${source.clusterName}-restore-drill`;
    const recoveryAge = Math.round((props.recoveryAge ?? Duration.minutes(15)).toSeconds());
    const deadline = Math.round((props.deadline ?? Duration.hours(1)).toSeconds());
    const probeSql = props.probeSql ?? 'select 1';
    const image = props.image ?? DEFAULT_DRILL_IMAGE;
    const monitoring = props.monitoring ?? Monitoring.prometheusOperator();

    const period = cronJobSchedulePeriodSeconds(this.schedule.expression);
    if (period === undefined) {
      errors.add('schedule', 'must be a five-field CronJob schedule (minute hour day-of-month month day-of-week)', this.schedule.expression, 'use e.g. DrillSchedule.weekly({ hour: 4 }) ("0 4 * * 0")');
    }
    this.periodSeconds = period ?? 0;
    errors.addProblem(checkClusterName(props.restoreClusterName === undefined ? 'restoreClusterName (from the source)' : 'restoreClusterName', this.restoreClusterName, 'test-drill'));
    if (this.restoreClusterName === source.clusterName) {
      errors.add('restoreClusterName', 'must differ from the source cluster (the drill deletes its restore)', this.restoreClusterName, `use e.g. ${JSON.stringify(`${source.clusterName}-drill`)}`);
    }
    if (typeof this.name !== 'string' || this.name.length > 52 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(this.name)) {
      errors.add(props.name === undefined ? 'name (from the source)' : 'name', 'must be a DNS-1123 label of at most 52 characters (the CronJob name limit)', this.name, 'set name, e.g. "test-restore-drill"');
    }
    if (!Number.isInteger(recoveryAge) || recoveryAge < 60 || recoveryAge > 7 * 86400) {
      errors.add('recoveryAge', 'must be between 1 minute and 7 days', `${recoveryAge}s`, 'use e.g. Duration.minutes(15)');
    }
    if (!Number.isInteger(deadline) || deadline < 300 || deadline > 86400) {
      errors.add('deadline', 'must be between 5 minutes and 1 day', `${deadline}s`, 'use e.g. Duration.hours(1)');
    }
    if (period !== undefined && deadline + 600 >= period) {
      errors.add('deadline', `plus 10 minutes for cleanup must be shorter than the schedule's period (${period}s), or runs would overlap`, `${deadline}s`, 'use a shorter deadline or a less frequent schedule');
    }
    if (typeof probeSql !== 'string' || !probeSql.trim() || probeSql.length > 10_000 || /\u0000/.test(probeSql)) {
      errors.add('probeSql', 'must be a non-empty SQL text of at most 10000 characters', probeSql, 'use e.g. "select count(*) from orders"');
    }
    if (props.minimumRows !== undefined && (!Number.isInteger(props.minimumRows) || props.minimumRows < 0)) {
      errors.add('minimumRows', 'must be a whole number of at least 0', props.minimumRows, 'use e.g. 1');
    }
    checkImage(errors, image, 'image');
    const chartNamespace = Chart.of(this).namespace;
    if (chartNamespace === undefined) {
      // A RoleBinding's ServiceAccount subject needs its namespace, and `kubectl apply -n` does not fill it in.
      errors.add('scope', 'must be in a chart with a namespace (the RoleBinding names the ServiceAccount with its namespace)', this.node.path, 'use new Chart(app, "db", { namespace: "databases" })');
    } else if (source.namespace !== chartNamespace) {
      errors.add('source', `is in namespace ${JSON.stringify(source.namespace)}, the drill in ${JSON.stringify(chartNamespace)}; a drill restores in its own namespace`, source.node.path, 'put the drill in a chart with the source\'s namespace');
    }
    if (errors.report()) return;

    const labels = { 'app.kubernetes.io/name': 'restore-drill', 'app.kubernetes.io/instance': this.name, 'app.kubernetes.io/managed-by': 'cdk8s-cnpg' };
    const metadata = { name: this.name, labels };
    const pod = `${this.restoreClusterName}-1`;

    new ApiObject(this, 'ServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata });
    new ApiObject(this, 'Role', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata,
      rules: [
        // Create cannot be limited by name (the name is in the body, not the URL).
        { apiGroups: ['postgresql.cnpg.io'], resources: ['clusters'], verbs: ['create'] },
        { apiGroups: ['postgresql.cnpg.io'], resources: ['clusters'], resourceNames: [this.restoreClusterName], verbs: ['get', 'delete'] },
        { apiGroups: [''], resources: ['pods'], resourceNames: [pod], verbs: ['get'] },
        { apiGroups: [''], resources: ['pods/exec'], resourceNames: [pod], verbs: ['create'] },
      ],
    });
    new ApiObject(this, 'RoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.name },
      subjects: [{ kind: 'ServiceAccount', name: this.name, namespace: chartNamespace }],
    });
    new ApiObject(this, 'ConfigMap', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata,
      data: { 'drill.sh': RESTORE_DRILL_SCRIPT, 'restore.json': restoreManifest(source, this.restoreClusterName) },
    });

    const env: Record<string, string> = {
      DRILL_RESTORE_NAME: this.restoreClusterName,
      DRILL_POD: pod,
      DRILL_DATABASE: source.database,
      DRILL_PROBE_SQL: probeSql,
      DRILL_DEADLINE_SECONDS: String(deadline),
      DRILL_RECOVERY_AGE_SECONDS: String(recoveryAge),
      DRILL_MANIFEST: '/drill/restore.json',
      ...(props.minimumRows !== undefined ? { DRILL_MINIMUM_ROWS: String(props.minimumRows) } : {}),
      HOME: '/tmp',
    };
    this.cronJob = new ApiObject(this, 'Resource', {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata,
      spec: {
        schedule: this.schedule.expression,
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels },
          spec: {
            backoffLimit: 0,
            // The script's own deadline comes first; this one stops a hung script, which still cleans up on SIGTERM.
            activeDeadlineSeconds: deadline + 600,
            template: {
              metadata: { labels },
              spec: {
                serviceAccountName: this.name,
                restartPolicy: 'Never',
                terminationGracePeriodSeconds: 120,
                securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
                containers: [{
                  name: 'drill',
                  image,
                  command: ['/bin/sh', '/drill/drill.sh'],
                  env: [
                    { name: 'DRILL_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                    ...Object.entries(env).map(([n, value]) => ({ name: n, value })),
                  ],
                  resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '256Mi' } },
                  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                  volumeMounts: [{ name: 'drill', mountPath: '/drill', readOnly: true }, { name: 'tmp', mountPath: '/tmp' }],
                }],
                volumes: [{ name: 'drill', configMap: { name: this.name } }, { name: 'tmp', emptyDir: {} }],
              },
            },
          },
        },
      },
    });

    if (monitoring.enabled) {
      const runbookUrl = monitoring.options.runbookUrl ?? DEFAULT_RUNBOOK_URL;
      const sel = `{${chartNamespace !== undefined ? `namespace=${JSON.stringify(chartNamespace)},` : ''}cronjob=${JSON.stringify(this.name)}}`;
      const limit = Math.round(1.5 * this.periodSeconds);
      const by = 'by (namespace, cronjob)';
      this.prometheusRule = new ApiObject(this, 'PrometheusRule', {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: { ...metadata, labels: { ...labels, ...monitoring.options.labels } },
        spec: {
          groups: [{
            name: this.name,
            rules: [{
              alert: DRILL_ALERT,
              // kube-state-metrics: the last success, or the creation time while there was none.
              expr: `(time() - max ${by} (kube_cronjob_status_last_successful_time${sel}) > ${limit})`
                + ` or ((time() - max ${by} (kube_cronjob_created${sel}) > ${limit}) unless on (namespace, cronjob) kube_cronjob_status_last_successful_time${sel})`,
              for: '15m',
              labels: { severity: 'warning', ...(chartNamespace !== undefined ? { namespace: chartNamespace } : {}), cronjob: this.name },
              annotations: {
                summary: `PostgreSQL restore drill ${this.name} has not succeeded for 1.5 of its periods`,
                description: `The restore drill ${this.name} (restoring ${source.clusterName}) has not succeeded for more than ${limit}s; its schedule is ${JSON.stringify(this.schedule.expression)}.`,
                runbook_url: `${runbookUrl}#${DRILL_ALERT.toLowerCase()}`,
              },
            }],
          }],
        },
      });
    }
  }
}

/**
 * The restore as a `PitrRestore` renders it, with the target time left as a placeholder the script fills in.
 * Built in a detached app: nothing of it is synthesized with the user's app.
 */
function restoreManifest(source: BackedUpPostgres, clusterName: string): string {
  const chart = new Chart(new App(), 'drill', { namespace: source.namespace });
  const restore = new PitrRestore(chart, 'Restore', { source, clusterName, target: RecoveryTarget.time(PLACEHOLDER_DATE), instances: 1 });
  // The drill checked what the restore checks; should they ever disagree, say so rather than write a broken drill.
  if (isNotRendered(restore)) throw new Error(restore.node.validate().map(m => `[${restore.node.path}] ${m}`).join('\n'));
  const doc = ApiObject.of(restore).toJson();
  const target = doc.spec.bootstrap.recovery.recoveryTarget;
  target.targetTime = TARGET_PLACEHOLDER;
  doc.metadata = { name: doc.metadata.name, labels: { 'app.kubernetes.io/managed-by': 'cdk8s-cnpg', 'cdk8s-cnpg.io/restore-drill': 'true' } };
  return JSON.stringify(doc, undefined, 2);
}
