import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { BackedUpPostgres } from './backed-up-postgres';
import { builtFromNotRendered, PropErrors } from './private/errors';
import { cnpgSchedulePeriodSeconds } from './private/schedule-period';

/**
 * The metric names the rules read, as upstream exports them.
 *
 * Plugin (v0.9.0 and v0.14.0, `internal/cnpgi/instance/metrics.go`): `<plugin name with . and - as _>_<name>`,
 * unix seconds, 0 while the ObjectStore has no recovery window for the server. The instance manager asks the
 * sidecar for them over CNPG-I and serves them on its own `metrics` port (CNPG 1.28-1.30,
 * `pkg/management/postgres/metrics/collector.go` `pluginCollector`, called from `metricserver/pg_collector.go`).
 *
 * Instance exporter: `cnpg_pg_stat_archiver_*` from the default monitoring queries
 * (`config/manager/default-monitoring.yaml`) and `cnpg_collector_pg_wal_archive_status{value="ready"|"done"}`
 * (`metricserver/pg_collector.go`, `wal.go`).
 */
const METRIC = {
  lastBackup: 'barman_cloud_cloudnative_pg_io_last_available_backup_timestamp',
  lastFailedBackup: 'barman_cloud_cloudnative_pg_io_last_failed_backup_timestamp',
  firstRecoverabilityPoint: 'barman_cloud_cloudnative_pg_io_first_recoverability_point',
  archiverFailedCount: 'cnpg_pg_stat_archiver_failed_count',
  archiverLastArchivedTime: 'cnpg_pg_stat_archiver_last_archived_time',
  archiverLastFailedTime: 'cnpg_pg_stat_archiver_last_failed_time',
  walArchiveStatus: 'cnpg_collector_pg_wal_archive_status',
} as const;

/** The names of the alerts `BackupMonitoring` defines; each is a README runbook section (lower-cased anchor). */
export enum BackupAlert {
  /** The newest base backup is older than the schedule's period plus its grace. */
  BACKUP_TOO_OLD = 'PostgresBackupTooOld',
  /** The cluster has run longer than its first backup may take, and no base backup exists. */
  BACKUP_NEVER_COMPLETED = 'PostgresBackupNeverCompleted',
  /** The last backup attempt failed after the last good one. */
  BACKUP_FAILED = 'PostgresBackupFailed',
  /** archive_command fails and nothing was archived since. */
  WAL_ARCHIVING_FAILING = 'PostgresWalArchivingFailing',
  /** WAL segments wait to be archived and the backlog does not shrink. */
  WAL_ARCHIVE_BACKLOG = 'PostgresWalArchiveBacklog',
  /** The first recoverable point is older than the retention window by more than a period. */
  RETENTION_NOT_PRUNING = 'PostgresBackupRetentionNotPruning',
  /** Prometheus has no backup metrics for the cluster (not scraped, or the plugin does not answer). */
  BACKUP_METRICS_ABSENT = 'PostgresBackupMetricsAbsent',
}

/** Where the runbooks are when none is given: the README of this package. */
const DEFAULT_RUNBOOK_URL = 'https://github.com/cdk8s-cnpg/cdk8s-cnpg';

/** Options for monitoring with the Prometheus Operator. */
export interface PrometheusOperatorOptions {
  /**
   * Labels on the PodMonitor and PrometheusRule, for the Prometheus `podMonitorSelector` and `ruleSelector`
   * (kube-prometheus-stack selects `release: <its release name>` by default).
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * The page holding the runbooks; each alert's `runbook_url` is `<runbookUrl>#<alert name in lower case>`.
   * @default 'https://github.com/cdk8s-cnpg/cdk8s-cnpg' (this package's README)
   */
  readonly runbookUrl?: string;
}

/**
 * How a `BackedUpPostgres` is monitored.
 */
export class Monitoring {
  /**
   * A PodMonitor and a PrometheusRule (`monitoring.coreos.com/v1`): needs the Prometheus Operator's CRDs.
   *
   * @example Monitoring.prometheusOperator({ labels: { release: 'kube-prometheus-stack' } })
   */
  public static prometheusOperator(options: PrometheusOperatorOptions = {}): Monitoring {
    return new Monitoring(true, options);
  }

  /**
   * No monitoring objects.
   *
   * @example Monitoring.none()
   */
  public static none(): Monitoring {
    return new Monitoring(false, {});
  }

  private constructor(
    /** Whether monitoring objects are created. */
    public readonly enabled: boolean,
    /** The Prometheus Operator options. */
    public readonly options: PrometheusOperatorOptions,
  ) {}
}

/** Props for `BackupMonitoring`. */
export interface BackupMonitoringProps extends PrometheusOperatorOptions {
  /** The database to watch; the alerts follow its schedule and retention policy. */
  readonly database: BackedUpPostgres;
}

/** One alerting rule as the PrometheusRule CRD spells it. */
interface AlertRule {
  /** The alert name. */
  readonly alert: string;
  /** The PromQL expression. */
  readonly expr: string;
  /** How long the expression must hold. */
  readonly for: string;
  /** Labels, `severity` among them. */
  readonly labels: { [key: string]: string };
  /** `summary`, `description` and `runbook_url`. */
  readonly annotations: { [key: string]: string };
}

/** The windows the rules use, derived from the schedule; all in seconds. */
export interface BackupAlertWindows {
  /** The longest gap between two scheduled backups. */
  readonly periodSeconds: number;
  /** Slack on top of the period for a backup's run time and a missed tick: the period, between 30 min and 12 h. */
  readonly graceSeconds: number;
  /** `PostgresBackupTooOld` fires past this age of the newest backup. */
  readonly tooOldSeconds: number;
  /** `PostgresBackupNeverCompleted` fires when the cluster has had no backup for this long. */
  readonly neverCompletedSeconds: number;
  /** `PostgresBackupRetentionNotPruning` fires past this age of the first recoverable point (undefined: no rule). */
  readonly retentionSeconds?: number;
}

/**
 * The windows for a schedule: grace = the period, clamped to 30 min..12 h, so an hourly schedule alerts after 2 h,
 * a daily one after 36 h and a weekly one after 7.5 days. The first backup is expected within period + grace, or
 * within 2 h when the schedule takes one immediately (a `BackedUpPostgres` is always a fresh initdb).
 */
function backupAlertWindows(schedule: string, immediate: boolean, retentionDays?: number): BackupAlertWindows | undefined {
  const periodSeconds = cnpgSchedulePeriodSeconds(schedule);
  if (periodSeconds === undefined) return undefined;
  const graceSeconds = Math.min(Math.max(periodSeconds, 1800), 12 * 3600);
  const tooOldSeconds = periodSeconds + graceSeconds;
  return {
    periodSeconds,
    graceSeconds,
    tooOldSeconds,
    neverCompletedSeconds: immediate ? Math.min(tooOldSeconds, 7200) : tooOldSeconds,
    ...(retentionDays !== undefined ? { retentionSeconds: retentionDays * 86400 + tooOldSeconds } : {}),
  };
}

/**
 * A PodMonitor that scrapes a `BackedUpPostgres`'s instances and a PrometheusRule whose alerts follow its backup
 * schedule: a backup too old or never made, a failed backup newer than the last good one, WAL archiving failing or
 * backing up (quiet for an idle database), retention not pruning, and the metrics themselves missing.
 * `BackedUpPostgres` creates one unless `monitoring: Monitoring.none()`.
 *
 * @see https://cloudnative-pg.io/documentation/current/monitoring/
 */
export class BackupMonitoring extends Construct {
  // Not set when the props have errors: synth then fails with them, before anything is written.
  /** The windows the alerts use. */
  public readonly windows!: BackupAlertWindows;
  /** The names of the alerts it defines. */
  public readonly alertNames!: string[];
  /** The `PodMonitor`. */
  public readonly podMonitor!: ApiObject;
  /** The `PrometheusRule` (also the default child). */
  public readonly prometheusRule!: ApiObject;

  constructor(scope: Construct, id: string, props: BackupMonitoringProps) {
    super(scope, id);
    const errors = new PropErrors(this);
    const db = props?.database;
    if (!db) {
      errors.add('database', 'is required', db, 'pass the BackedUpPostgres to watch');
    }
    if (errors.report() || builtFromNotRendered(this, db)) return;
    const runbookUrl = props.runbookUrl ?? DEFAULT_RUNBOOK_URL;
    if (!/^https?:\/\/\S+$/.test(runbookUrl) || runbookUrl.includes('#')) {
      errors.add('runbookUrl', 'must be an http(s) URL without a fragment (the alert name is appended as one)', runbookUrl, 'use e.g. "https://git.example.com/ops/runbooks"');
    }
    for (const [key, value] of Object.entries(props.labels ?? {})) {
      if (!/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(key) || typeof value !== 'string'
        || !/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/.test(value)) {
        errors.add(`labels.${key}`, 'must be a Kubernetes label', value, 'use e.g. { release: "kube-prometheus-stack" }');
      }
    }
    const windows = backupAlertWindows(db.schedule.expression, db.immediateBackup, db.retentionPolicy?.windowDays);
    if (!windows) errors.add('database.schedule', 'is not a valid CNPG schedule, so no alert window follows from it', db.schedule.expression, 'use e.g. BackupSchedule.daily()');
    if (errors.report()) return;
    this.windows = windows!;

    const namespace = db.namespace ?? Chart.of(this).namespace;
    const selector = `{${namespace !== undefined ? `namespace=${JSON.stringify(namespace)},` : ''}cluster=${JSON.stringify(db.clusterName)}}`;
    const identity = { ...(namespace !== undefined ? { namespace } : {}), cluster: db.clusterName };
    const rules = backupAlertRules(this.windows, selector, `${namespace ?? ''}${namespace ? '/' : ''}${db.clusterName}`, runbookUrl, identity);

    this.alertNames = rules.map(r => r.alert);
    const metadata = {
      name: db.clusterName,
      ...(db.namespace !== undefined && db.namespace !== Chart.of(this).namespace ? { namespace: db.namespace } : {}),
      ...(props.labels && Object.keys(props.labels).length ? { labels: { ...props.labels } } : {}),
    };
    this.podMonitor = new ApiObject(this, 'PodMonitor', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata,
      spec: {
        // CNPG labels instances cnpg.io/podRole=instance; poolers share cnpg.io/cluster and a `metrics` port
        // (pkg/specs/pods.go, pkg/specs/pgbouncer/deployments.go, 1.28-1.30).
        selector: { matchLabels: { 'cnpg.io/cluster': db.clusterName, 'cnpg.io/podRole': 'instance' } },
        podMetricsEndpoints: [{
          port: 'metrics',
          relabelings: [{ sourceLabels: ['__meta_kubernetes_pod_label_cnpg_io_cluster'], targetLabel: 'cluster' }],
        }],
      },
    });
    this.prometheusRule = new ApiObject(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { ...metadata, name: `${db.clusterName}-backups` },
      spec: { groups: [{ name: `${db.clusterName}-backups`, rules }] },
    });
  }
}

/** A PromQL/Prometheus duration in whole seconds (Prometheus accepts `s` everywhere). */
function promDuration(seconds: number): string {
  return `${Math.round(seconds)}s`;
}

/** A duration for people: `36h`, `7d 12h`, `30m`. */
function humanDuration(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  const parts = [d ? `${d}d` : '', h ? `${h}h` : '', m ? `${m}m` : '', s ? `${s}s` : ''].filter(p => p);
  return parts.length ? parts.join(' ') : '0s';
}

/** The rules for one cluster, selected by `selector` (`{namespace="…",cluster="…"}`). */
function backupAlertRules(
  w: BackupAlertWindows, selector: string, who: string, runbookUrl: string, identity: { [key: string]: string },
): AlertRule[] {
  const by = 'by (namespace, cluster)';
  const m = (name: string, extra = '') => `${name}${extra ? selector.replace('{', `{${extra},`) : selector}`;
  const rule = (alert: BackupAlert, severity: string, expr: string, forDuration: string, summary: string, description: string): AlertRule => ({
    alert,
    expr,
    for: forDuration,
    // The identity labels equal what the expression yields; they keep rules of several clusters distinct.
    labels: { severity, ...identity },
    annotations: { summary, description, runbook_url: `${runbookUrl}#${alert.toLowerCase()}` },
  });
  const rules = [
    rule(BackupAlert.BACKUP_TOO_OLD, 'critical',
      // 0 means "no backup yet": that is PostgresBackupNeverCompleted's case.
      `time() - (max ${by} (${m(METRIC.lastBackup)}) > 0) > ${w.tooOldSeconds}`,
      '10m',
      `PostgreSQL ${who}: the newest base backup is older than ${humanDuration(w.tooOldSeconds)}`,
      `The newest base backup of ${who} is {{ $value | humanizeDuration }} old; its schedule runs at least every ${humanDuration(w.periodSeconds)}.`),
    rule(BackupAlert.BACKUP_NEVER_COMPLETED, 'critical',
      // The metric has been there for the whole window (so the cluster ran that long) and never was > 0.
      `(max ${by} (max_over_time(${m(METRIC.lastBackup)}[${promDuration(w.neverCompletedSeconds)}])) == 0)`
      + ` and on (namespace, cluster) (count ${by} (count_over_time(${m(METRIC.lastBackup)}[30m] offset ${promDuration(w.neverCompletedSeconds)})))`,
      '5m',
      `PostgreSQL ${who}: no base backup completed in ${humanDuration(w.neverCompletedSeconds)}`,
      `${who} has run for more than ${humanDuration(w.neverCompletedSeconds)} and the object store holds no base backup of it: nothing can be restored.`),
    rule(BackupAlert.BACKUP_FAILED, 'warning',
      `max ${by} (${m(METRIC.lastFailedBackup)}) > max ${by} (${m(METRIC.lastBackup)})`,
      '1m',
      `PostgreSQL ${who}: the last base backup failed`,
      `A base backup of ${who} failed after the last good one; the next scheduled backup clears this alert.`),
    rule(BackupAlert.WAL_ARCHIVING_FAILING, 'critical',
      // Failures happen now and no segment was archived since the last one: an idle database has neither.
      `(increase(${m(METRIC.archiverFailedCount)}[1h]) > 0)`
      + ` and (${m(METRIC.archiverLastFailedTime)} > ${m(METRIC.archiverLastArchivedTime)})`,
      '10m',
      `PostgreSQL ${who}: WAL archiving is failing on {{ $labels.pod }}`,
      'archive_command fails on {{ $labels.pod }} and no WAL segment was archived since: point-in-time recovery stops at the last archived segment and pg_wal fills up.'),
    rule(BackupAlert.WAL_ARCHIVE_BACKLOG, 'warning',
      // Never empty for 30 min and not shrinking: archiving is stuck or slower than the writes. Idle: 0 ready.
      `(min_over_time(${m(METRIC.walArchiveStatus, 'value="ready"')}[30m]) > 0)`
      + ` and (deriv(${m(METRIC.walArchiveStatus, 'value="ready"')}[30m]) >= 0)`,
      '15m',
      `PostgreSQL ${who}: WAL segments are waiting to be archived on {{ $labels.pod }}`,
      '{{ $value }} WAL segments of {{ $labels.pod }} have waited for archiving for more than 30 minutes and the backlog does not shrink.'),
  ];
  if (w.retentionSeconds !== undefined) {
    rules.push(rule(BackupAlert.RETENTION_NOT_PRUNING, 'warning',
      `time() - (max ${by} (${m(METRIC.firstRecoverabilityPoint)}) > 0) > ${w.retentionSeconds}`,
      '1h',
      `PostgreSQL ${who}: backups older than the retention policy are not removed`,
      `The first recoverable point of ${who} is {{ $value | humanizeDuration }} old, more than the retention window plus a backup period (${humanDuration(w.retentionSeconds)}).`));
  }
  rules.push(rule(BackupAlert.BACKUP_METRICS_ABSENT, 'warning',
    `absent(${m(METRIC.lastBackup)})`,
    '30m',
    `PostgreSQL ${who}: no backup metrics`,
    `Prometheus has no ${METRIC.lastBackup} for ${who}: the instances are not scraped or the Barman Cloud plugin does not answer, and no other backup alert can fire.`));
  return rules;
}
