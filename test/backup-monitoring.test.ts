import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import { BackupAlert, BackupMonitoring, BackupSchedule, Monitoring, RetentionPolicy } from '../src';
import { Expectation, promtoolPath, promtoolScenario, ruleFileOf, runPromtool, Series } from './promtool';
import { addOperators, backedUp, Doc, errorOf, expectPropError, find, synthAuthored, validateApp } from './util';
import { cnpgSchedulePeriodSeconds, cronJobSchedulePeriodSeconds } from '../src/private/schedule-period';

const HOUR = 3600;
const DAY = 86400;
const ALL_ALERTS = Object.values(BackupAlert) as string[];
const PER_POD = new Set<string>([BackupAlert.WAL_ARCHIVING_FAILING, BackupAlert.WAL_ARCHIVE_BACKLOG]);

describe('schedule periods', () => {
  test.each([
    ['0 0 * * * *', HOUR],
    ['0 0 3 * * *', DAY],
    ['0 0 0 * * 0', 7 * DAY],
    ['0 */15 * * * *', 15 * 60],
    ['0 0 2 * * 1-5', 3 * DAY], // Friday 02:00 to Monday 02:00
    ['0 0 6,18 * * *', 12 * HOUR],
    ['0 30 1 * * MON,THU', 4 * DAY], // Thursday to Monday
    ['*/20 * * * * *', 20],
    ['0 0 0 1 * *', 31 * DAY],
    ['0 0 0 29 2 *', 1461 * DAY], // leap days only
    ['0 0 0 1 1 *', 366 * DAY],
    ['@hourly', HOUR],
    ['@daily', DAY],
    ['@midnight', DAY],
    ['@weekly', 7 * DAY],
    ['@monthly', 31 * DAY],
    ['@yearly', 366 * DAY],
    ['@every 90m', 90 * 60],
    ['@every 1h30m', 90 * 60],
    ['@every 500ms', 1],
  ])('%s runs at least every %d s', (expression, seconds) => {
    // WHEN / THEN
    expect(cnpgSchedulePeriodSeconds(expression)).toBe(seconds);
  });

  test.each(['0 0 * * *', 'every hour', '0 0 0 30 2 *', '@fortnightly'])('no period for the invalid or never-running schedule %j', expression => {
    expect(cnpgSchedulePeriodSeconds(expression)).toBeUndefined();
  });

  test('CronJob schedules are five fields, minute first', () => {
    expect(cronJobSchedulePeriodSeconds('0 4 * * 0')).toBe(7 * DAY);
    expect(cronJobSchedulePeriodSeconds('*/10 * * * *')).toBe(600);
    expect(cronJobSchedulePeriodSeconds('@weekly')).toBe(7 * DAY);
    expect(cronJobSchedulePeriodSeconds('0 0 4 * * 0')).toBeUndefined();
  });
});

describe('BackupMonitoring windows follow the schedule', () => {
  test.each([
    ['hourly', BackupSchedule.hourly(), HOUR, HOUR, 2 * HOUR],
    ['daily', BackupSchedule.daily(), DAY, 12 * HOUR, 36 * HOUR],
    ['weekly', BackupSchedule.weekly(), 7 * DAY, 12 * HOUR, 7.5 * DAY],
    ['every 15 minutes', BackupSchedule.cron('0 */15 * * * *'), 900, 1800, 2700],
    ['weekdays', BackupSchedule.cron('0 0 2 * * 1-5'), 3 * DAY, 12 * HOUR, 3.5 * DAY],
    ['@monthly', BackupSchedule.cron('@monthly'), 31 * DAY, 12 * HOUR, 31.5 * DAY],
  ])('%s: period %d s, grace %d s, too old after %d s', (_name, schedule, period, grace, tooOld) => {
    // GIVEN / WHEN
    const pg = backedUp(new Chart(Testing.app(), 'db', { namespace: 'db' }), 'Pg', { schedule });
    // THEN
    const w = pg.monitoring!.windows;
    expect(w).toMatchObject({ periodSeconds: period, graceSeconds: grace, tooOldSeconds: tooOld });
    // The first backup is immediate by default: it is expected within 2 h, whatever the schedule.
    expect(w.neverCompletedSeconds).toBe(Math.min(tooOld, 2 * HOUR));
    expect(w.retentionSeconds).toBe(7 * DAY + tooOld);
  });

  test('without an immediate backup, the first backup may wait a period plus the grace', () => {
    const pg = backedUp(new Chart(Testing.app(), 'db'), 'Pg', { schedule: BackupSchedule.weekly(), immediateBackup: false });
    expect(pg.monitoring!.windows.neverCompletedSeconds).toBe(7.5 * DAY);
  });

  test('the retention alert follows the retention policy', () => {
    const pg = backedUp(new Chart(Testing.app(), 'db'), 'Pg', { schedule: BackupSchedule.daily(), retentionPolicy: RetentionPolicy.weeks(2) });
    expect(pg.monitoring!.windows.retentionSeconds).toBe(14 * DAY + 36 * HOUR);
  });
});

describe('BackupMonitoring objects', () => {
  // GIVEN an app with the operators and an hourly database
  const app = Testing.app();
  addOperators(app);
  const chart = new Chart(app, 'database', { namespace: 'databases' });
  // WHEN
  const pg = backedUp(chart, 'Test', { schedule: BackupSchedule.hourly() });
  const docs = synthAuthored(chart);
  const podMonitor = find(docs, 'PodMonitor');
  const rule = find(docs, 'PrometheusRule');
  const rules: Doc[] = rule.spec.groups[0].rules;

  test('snapshot of the monitoring objects', () => {
    expect(docs.map(d => d.kind).sort()).toEqual(['Cluster', 'ObjectStore', 'PodMonitor', 'PrometheusRule', 'ScheduledBackup']);
    expect([podMonitor, rule]).toMatchSnapshot();
  });

  test('the PodMonitor scrapes the instances\' metrics port and labels series with the cluster', () => {
    expect(podMonitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(podMonitor.metadata).toEqual({ name: 'test', namespace: 'databases' });
    // Poolers carry cnpg.io/cluster and a metrics port too: only instances are selected.
    expect(podMonitor.spec.selector).toEqual({ matchLabels: { 'cnpg.io/cluster': 'test', 'cnpg.io/podRole': 'instance' } });
    expect(podMonitor.spec.podMetricsEndpoints).toEqual([{
      port: 'metrics',
      relabelings: [{ sourceLabels: ['__meta_kubernetes_pod_label_cnpg_io_cluster'], targetLabel: 'cluster' }],
    }]);
  });

  test('every alert has a severity, a summary naming the cluster and a runbook in the README', () => {
    expect(rules.map(r => r.alert)).toEqual(ALL_ALERTS);
    expect(pg.monitoring!.alertNames).toEqual(ALL_ALERTS);
    for (const r of rules) {
      expect(['critical', 'warning']).toContain(r.labels.severity);
      expect(r.labels).toMatchObject({ namespace: 'databases', cluster: 'test' });
      expect(r.annotations.summary).toContain('databases/test');
      expect(r.annotations.runbook_url).toBe(`https://github.com/cdk8s-cnpg/cdk8s-cnpg#${r.alert.toLowerCase()}`);
    }
  });

  test('every rule selects its own cluster and namespace, with the upstream metric names', () => {
    for (const r of rules) {
      expect(r.expr).toMatch(/\{(value="ready",)?namespace="databases",cluster="test"\}/);
      expect(r.expr).not.toMatch(/cnpg_collector_(last_available|last_failed|first_recoverability)/); // deprecated, 0 under the plugin
    }
    expect(rules[0].expr).toContain('barman_cloud_cloudnative_pg_io_last_available_backup_timestamp');
  });

  test('the synth validator accepts the monitoring.coreos.com kinds without errors or warnings', () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
      written.push(String(s));
      return true;
    });
    try {
      expect(() => validateApp(app)).not.toThrow();
    } finally {
      spy.mockRestore();
    }
    expect(written.filter(w => /PodMonitor|PrometheusRule|monitoring\.coreos\.com/.test(w))).toEqual([]);
  });

  test('promtool check rules accepts the rules', () => {
    const result = runPromtool(() => ['check', 'rules', 'rules.yml'], { 'rules.yml': ruleFileOf([rule], { keepAnnotations: true }) });
    expect(result.output).toContain('SUCCESS: 7 rules found');
    expect(result.status).toBe(0);
  });

  test('the PrometheusRule is the default child; an escape-hatch patch reaches the YAML', () => {
    // GIVEN
    const a = Testing.app();
    const c = new Chart(a, 'db', { namespace: 'db' });
    const p = backedUp(c, 'Pg');
    // WHEN
    ApiObject.of(p.monitoring!).addJsonPatch(JsonPatch.add('/spec/groups/0/interval', '2m'));
    ApiObject.of(p.monitoring!).addJsonPatch(JsonPatch.add('/metadata/labels', { release: 'prom' }));
    // THEN
    const out = find(Testing.synth(c), 'PrometheusRule');
    expect(out.spec.groups[0].interval).toBe('2m');
    expect(out.metadata.labels).toEqual({ release: 'prom' });
  });
});

test('every runbook_url anchor is a README section (GitHub heading slugs)', () => {
  // GIVEN the README's headings as GitHub links them
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf-8');
  const slugs = new Set([...readme.matchAll(/^#+ (.+)$/gm)].map(m => m[1].trim().toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-')));
  // THEN every alert of the database and of the drill has its section
  for (const alert of [...ALL_ALERTS, 'PostgresRestoreDrillNotSucceeding']) expect(slugs).toContain(alert.toLowerCase());
  expect(slugs).toContain('know-that-backups-run');
});

describe('BackupMonitoring options', () => {
  test('Monitoring.none() leaves the objects out', () => {
    const chart = new Chart(Testing.app(), 'db');
    const pg = backedUp(chart, 'Pg', { monitoring: Monitoring.none() });
    expect(pg.monitoring).toBeUndefined();
    expect(Testing.synth(chart).map(d => d.kind).sort()).toEqual(['Cluster', 'ObjectStore', 'ScheduledBackup']);
  });

  test('labels for the Prometheus selectors and a runbook page of your own', () => {
    const chart = new Chart(Testing.app(), 'db', { namespace: 'db' });
    backedUp(chart, 'Pg', { monitoring: Monitoring.prometheusOperator({ labels: { release: 'kube-prometheus-stack' }, runbookUrl: 'https://wiki.example.org/pg' }) });
    const docs = Testing.synth(chart);
    expect(find(docs, 'PodMonitor').metadata.labels).toEqual({ release: 'kube-prometheus-stack' });
    const rule = find(docs, 'PrometheusRule');
    expect(rule.metadata.labels).toEqual({ release: 'kube-prometheus-stack' });
    expect(rule.spec.groups[0].rules[0].annotations.runbook_url).toBe('https://wiki.example.org/pg#postgresbackuptooold');
  });

  test('a chart without namespace: rules select the cluster name alone', () => {
    const chart = new Chart(Testing.app(), 'db');
    backedUp(chart, 'Pg');
    const rule = find(Testing.synth(chart), 'PrometheusRule');
    expect(rule.metadata.namespace).toBeUndefined();
    expect(rule.spec.groups[0].rules[0].expr).toContain('{cluster="pg"}');
  });

  test('a construct of its own for a database created with Monitoring.none()', () => {
    const chart = new Chart(Testing.app(), 'db', { namespace: 'db' });
    const pg = backedUp(chart, 'Pg', { monitoring: Monitoring.none() });
    new BackupMonitoring(chart, 'Monitoring', { database: pg, labels: { team: 'data' } });
    expect(Testing.synth(chart).filter(d => d.apiVersion === 'monitoring.coreos.com/v1').map(d => d.kind).sort()).toEqual(['PodMonitor', 'PrometheusRule']);
  });

  test.each([
    ['runbookUrl', { runbookUrl: 'wiki/pg' }, 'wiki/pg', 'https://git.example.com'],
    ['runbookUrl', { runbookUrl: 'https://wiki.example.org/pg#x' }, 'https://wiki.example.org/pg#x', 'https://git.example.com'],
    ['labels.release', { labels: { release: 'not valid!' } }, 'not valid!', 'kube-prometheus-stack'],
  ])('fails when %s is wrong', (prop, options, value, fix) => {
    const chart = new Chart(Testing.app(), 'db');
    const message = errorOf(() => backedUp(chart, 'Pg', { monitoring: Monitoring.prometheusOperator(options) }));
    expectPropError(message, { path: 'db/Pg/Monitoring', prop, value, fix });
  });
});

/*
 * promtool rule unit tests: an hourly and a weekly database in one app, their rules in one rule file as the
 * Prometheus Operator would load them, and series with the upstream metric names and the labels the PodMonitor
 * gives them (namespace, pod from the Prometheus Operator; cluster from our relabeling).
 */
describe('alerts under promtool', () => {
  const app = new App();
  const chart = new Chart(app, 'db', { namespace: 'db' });
  backedUp(chart, 'Hourly', { schedule: BackupSchedule.hourly() });
  backedUp(chart, 'Weekly', { schedule: BackupSchedule.weekly() });
  const rules = ruleFileOf(Testing.synth(chart).filter(d => d.kind === 'PrometheusRule'));

  const P = 'barman_cloud_cloudnative_pg_io_';
  const pod = (cluster: string, n = 1) => ({ namespace: 'db', cluster, pod: `${cluster}-${n}` });
  const steps = (until: number, step: number) => Array.from({ length: Math.floor(until / step) + 1 }, (_, i) => i * step);
  const series = (metric: string, labels: Record<string, string>, times: number[], f: (t: number) => number | undefined): Series =>
    ({ metric, labels, values: times.map(f) });
  /** Backups completing 10 minutes after every hour, the first one at t=1. */
  const hourlyBackups = (t: number) => (t < 600 ? 1 : Math.floor((t - 600) / HOUR) * HOUR + 600);

  interface Db {
    readonly lastBackup?: (t: number) => number | undefined;
    readonly lastFailed?: (t: number) => number;
    readonly firstPoint?: (t: number) => number;
    readonly failedCount?: (t: number) => number;
    readonly lastArchived?: (t: number) => number;
    readonly lastFailedArchive?: (t: number) => number;
    readonly ready?: (t: number) => number;
    readonly pods?: number;
  }
  /** The series of one database: plugin metrics from each instance, archiver metrics from the primary. */
  function dbSeries(cluster: string, times: number[], db: Db): Series[] {
    const out: Series[] = [];
    for (let n = 1; n <= (db.pods ?? 1); n++) {
      if (db.lastBackup) {
        out.push(series(`${P}last_available_backup_timestamp`, pod(cluster, n), times, db.lastBackup));
        out.push(series(`${P}last_failed_backup_timestamp`, pod(cluster, n), times, db.lastFailed ?? (() => 0)));
        out.push(series(`${P}first_recoverability_point`, pod(cluster, n), times, db.firstPoint ?? (() => 1)));
      }
    }
    // A busy primary archives a segment every 5 minutes; a scrape now and then sees one "ready" for a moment.
    out.push(series('cnpg_pg_stat_archiver_archived_count', pod(cluster), times, t => Math.floor(t / 300)));
    out.push(series('cnpg_pg_stat_archiver_failed_count', pod(cluster), times, db.failedCount ?? (() => 0)));
    out.push(series('cnpg_pg_stat_archiver_last_archived_time', pod(cluster), times, db.lastArchived ?? (t => Math.floor(t / 300) * 300)));
    out.push(series('cnpg_pg_stat_archiver_last_failed_time', pod(cluster), times, db.lastFailedArchive ?? (() => -1)));
    out.push(series('cnpg_collector_pg_wal_archive_status', { ...pod(cluster), value: 'ready' }, times, db.ready ?? (t => (t % 900 === 300 ? 1 : 0))));
    out.push(series('cnpg_collector_pg_wal_archive_status', { ...pod(cluster), value: 'done' }, times, t => Math.floor(t / 300)));
    return out;
  }
  const healthyHourly: Db = { lastBackup: hourlyBackups, pods: 2 };
  const healthyWeekly: Db = { lastBackup: t => (t < 7 * DAY + 600 ? 1 : 7 * DAY + 600) };
  const idle: Db = {
    lastBackup: hourlyBackups,
    lastArchived: () => 1,
    ready: () => 0,
  };

  const severityOf = (alert: string): string => rules.groups[0].rules.find((r: Doc) => r.alert === alert).labels.severity;
  /** The labels an alert carries when it fires for `cluster`. */
  const firing = (alert: string, cluster: string) => [{
    ...(PER_POD.has(alert) ? pod(cluster) : { namespace: 'db', cluster }),
    ...(alert === BackupAlert.WAL_ARCHIVE_BACKLOG ? { value: 'ready' } : {}),
    severity: severityOf(alert),
  }];
  const quiet = (times: number[], alerts = ALL_ALERTS): Expectation[] =>
    times.flatMap(at => alerts.map(alert => ({ at, alert, firing: [] })));
  const check = (step: number, s: Series[], expectations: Expectation[]) => {
    const result = promtoolScenario(rules, { stepSeconds: step, series: s, expect: expectations });
    if (result.status !== 0) throw new Error(`promtool test rules failed:\n${result.output}`);
    expect(result.output).toContain('SUCCESS');
  };

  test('a healthy hourly cluster, a healthy weekly one and an idle database stay quiet for 12 hours', () => {
    const times = steps(12 * HOUR, 60);
    check(60, [
      ...dbSeries('hourly', times, healthyHourly),
      ...dbSeries('weekly', times, healthyWeekly),
    ], quiet(steps(12 * HOUR, 1800)));
    check(60, [
      ...dbSeries('hourly', times, idle),
      // An idle standby whose archiver statistics say a failure once came last: its failures do not grow.
      series('cnpg_pg_stat_archiver_failed_count', pod('hourly', 2), times, () => 1),
      series('cnpg_pg_stat_archiver_last_failed_time', pod('hourly', 2), times, () => 100),
      series('cnpg_pg_stat_archiver_last_archived_time', pod('hourly', 2), times, () => -1),
      ...dbSeries('weekly', times, { ...healthyWeekly, lastArchived: () => 1, ready: () => 0 }),
    ], quiet(steps(12 * HOUR, 1800)));
  });

  test('backups that stop alert after the period plus grace: not before 1.5 periods, within 3', () => {
    const lastGood = 2 * HOUR + 600;
    const times = steps(8 * HOUR, 60);
    check(60, [
      ...dbSeries('hourly', times, { lastBackup: t => Math.min(hourlyBackups(t), lastGood) }),
      ...dbSeries('weekly', times, healthyWeekly),
    ], [
      ...quiet([lastGood + 1.5 * HOUR, lastGood + 2 * HOUR]),
      { at: lastGood + 2.5 * HOUR, alert: BackupAlert.BACKUP_TOO_OLD, firing: firing(BackupAlert.BACKUP_TOO_OLD, 'hourly') },
      { at: lastGood + 3 * HOUR, alert: BackupAlert.BACKUP_TOO_OLD, firing: firing(BackupAlert.BACKUP_TOO_OLD, 'hourly') },
      ...quiet([lastGood + 3 * HOUR], ALL_ALERTS.filter(a => a !== BackupAlert.BACKUP_TOO_OLD)),
    ]);
  });

  test('clusters that never completed a backup alert within 3 hours, the weekly one too', () => {
    const times = steps(4 * HOUR, 60);
    const never: Db = { lastBackup: () => 0, firstPoint: () => 0 };
    const both = (alert: string) => [...firing(alert, 'hourly'), ...firing(alert, 'weekly')];
    check(60, [...dbSeries('hourly', times, never), ...dbSeries('weekly', times, never)], [
      ...quiet([HOUR, 1.9 * HOUR]),
      ...[2.5 * HOUR, 3 * HOUR, 4 * HOUR].map(at => ({
        at, alert: BackupAlert.BACKUP_NEVER_COMPLETED, firing: both(BackupAlert.BACKUP_NEVER_COMPLETED),
      })),
      // 0 is "no backup", not a backup from 1970.
      ...quiet([4 * HOUR], [BackupAlert.BACKUP_TOO_OLD, BackupAlert.RETENTION_NOT_PRUNING, BackupAlert.BACKUP_FAILED]),
    ]);
  });

  test('a failed backup newer than the last good one alerts until the next good one', () => {
    const failedAt = 5 * HOUR + 1200;
    const times = steps(8 * HOUR, 60);
    check(60, [
      ...dbSeries('hourly', times, { ...healthyHourly, lastFailed: t => (t >= failedAt ? failedAt : 0) }),
      ...dbSeries('weekly', times, { ...healthyWeekly, lastFailed: t => (t >= failedAt ? failedAt : 0) }),
    ], [
      ...quiet([failedAt - 60]),
      { at: failedAt + 600, alert: BackupAlert.BACKUP_FAILED, firing: [...firing(BackupAlert.BACKUP_FAILED, 'hourly'), ...firing(BackupAlert.BACKUP_FAILED, 'weekly')] },
      // The hourly one's next backup (06:10) clears it; the weekly one waits for Sunday.
      { at: 6 * HOUR + 1200, alert: BackupAlert.BACKUP_FAILED, firing: firing(BackupAlert.BACKUP_FAILED, 'weekly') },
    ]);
  });

  test('WAL archiving failing from hour 1 alerts within the next hour, with the growing backlog', () => {
    const times = steps(3 * HOUR, 60);
    const failing: Db = {
      ...healthyHourly,
      failedCount: t => (t < HOUR ? 0 : Math.floor((t - HOUR) / 60) + 1),
      lastFailedArchive: t => (t < HOUR ? -1 : t),
      lastArchived: t => Math.floor(Math.min(t, HOUR - 1) / 300) * 300,
      ready: t => (t < HOUR ? 0 : Math.floor((t - HOUR) / 300) + 1),
    };
    check(60, [...dbSeries('hourly', times, failing), ...dbSeries('weekly', times, healthyWeekly)], [
      ...quiet([HOUR + 300]),
      { at: HOUR + 1800, alert: BackupAlert.WAL_ARCHIVING_FAILING, firing: firing(BackupAlert.WAL_ARCHIVING_FAILING, 'hourly') },
      { at: 2 * HOUR, alert: BackupAlert.WAL_ARCHIVING_FAILING, firing: firing(BackupAlert.WAL_ARCHIVING_FAILING, 'hourly') },
      { at: 2 * HOUR, alert: BackupAlert.WAL_ARCHIVE_BACKLOG, firing: firing(BackupAlert.WAL_ARCHIVE_BACKLOG, 'hourly') },
    ]);
  });

  test('archiving that hangs without failing alerts on the backlog; one failure that is retried stays quiet', () => {
    const times = steps(3 * HOUR, 60);
    const hung: Db = {
      ...healthyHourly,
      lastArchived: t => Math.floor(Math.min(t, HOUR - 1) / 300) * 300,
      ready: t => (t < HOUR ? 0 : Math.floor((t - HOUR) / 300) + 1),
    };
    const blip: Db = {
      ...healthyHourly,
      failedCount: t => (t < 2 * HOUR ? 0 : 1),
      lastFailedArchive: t => (t < 2 * HOUR ? -1 : 2 * HOUR),
      lastArchived: t => (t >= 2 * HOUR + 60 && t < 2 * HOUR + 300 ? 2 * HOUR + 30 : Math.floor(t / 300) * 300),
    };
    check(60, [...dbSeries('hourly', times, hung), ...dbSeries('weekly', times, blip)], [
      { at: 2 * HOUR, alert: BackupAlert.WAL_ARCHIVE_BACKLOG, firing: firing(BackupAlert.WAL_ARCHIVE_BACKLOG, 'hourly') },
      { at: 2 * HOUR, alert: BackupAlert.WAL_ARCHIVING_FAILING, firing: [] },
      ...quiet([2 * HOUR + 900, 3 * HOUR], [BackupAlert.WAL_ARCHIVING_FAILING]),
    ]);
  });

  test('a weekly database is quiet with a 3-day-old backup and alerts when its backup is 3 days overdue', () => {
    const step = 300;
    const times = steps(11 * DAY, step);
    check(step, [
      ...dbSeries('hourly', times, { lastBackup: hourlyBackups, firstPoint: t => Math.max(1, hourlyBackups(t - 7 * DAY)) }),
      ...dbSeries('weekly', times, { lastBackup: () => 1 }), // the backup of day 7 never happens
    ], [
      ...quiet([3 * DAY, 7 * DAY + 6 * HOUR]),
      ...quiet([10 * DAY], ALL_ALERTS.filter(a => a !== BackupAlert.BACKUP_TOO_OLD)),
      { at: 10 * DAY, alert: BackupAlert.BACKUP_TOO_OLD, firing: firing(BackupAlert.BACKUP_TOO_OLD, 'weekly') },
    ]);
    // And the weekly database that does back up on day 7 stays quiet through day 11.
    check(step, [
      ...dbSeries('hourly', times, { lastBackup: hourlyBackups, firstPoint: t => Math.max(1, hourlyBackups(t - 7 * DAY)) }),
      ...dbSeries('weekly', times, healthyWeekly),
    ], quiet(steps(11 * DAY, 12 * HOUR)));
  });

  test('retention that does not prune alerts past the window plus a period; healthy pruning and 0 stay quiet', () => {
    const step = 300;
    const times = steps(9 * DAY, step);
    check(step, [
      ...dbSeries('hourly', times, { lastBackup: hourlyBackups, firstPoint: () => 1 }),
      ...dbSeries('weekly', times, { ...healthyWeekly, firstPoint: () => 0 }),
    ], [
      ...quiet([7 * DAY], [BackupAlert.RETENTION_NOT_PRUNING]),
      { at: 8 * DAY, alert: BackupAlert.RETENTION_NOT_PRUNING, firing: firing(BackupAlert.RETENTION_NOT_PRUNING, 'hourly') },
    ]);
  });

  test('missing backup metrics alert after 30 minutes; the other backup alerts cannot fire without them', () => {
    const times = steps(2 * HOUR, 60);
    check(60, [
      ...dbSeries('hourly', times, { ...healthyHourly, lastBackup: undefined }),
      ...dbSeries('weekly', times, healthyWeekly),
    ], [
      ...quiet([20 * 60]),
      { at: HOUR, alert: BackupAlert.BACKUP_METRICS_ABSENT, firing: firing(BackupAlert.BACKUP_METRICS_ABSENT, 'hourly') },
      ...quiet([2 * HOUR], ALL_ALERTS.filter(a => a !== BackupAlert.BACKUP_METRICS_ABSENT)),
    ]);
  });

  test('a missing promtool fails the tests with the install command, never skips them', () => {
    expect(() => promtoolPath({ ...process.env, PATH: '/nonexistent' })).toThrow(/promtool is not installed: run `apt-get install -y prometheus`/);
  });

  test('promtool itself notices a wrong expectation (the harness can fail)', () => {
    const times = steps(HOUR, 60);
    const result = promtoolScenario(rules, {
      stepSeconds: 60,
      series: [...dbSeries('hourly', times, healthyHourly), ...dbSeries('weekly', times, healthyWeekly)],
      expect: [{ at: 1800, alert: BackupAlert.BACKUP_TOO_OLD, firing: firing(BackupAlert.BACKUP_TOO_OLD, 'hourly') }],
    });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('PostgresBackupTooOld');
  });
});
