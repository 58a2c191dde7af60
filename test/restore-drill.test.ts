import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart, Duration, JsonPatch, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { BackupSchedule, DrillSchedule, Monitoring, RestoreDrill } from '../src';
import { promtoolScenario, ruleFileOf, runPromtool } from './promtool';
import { addOperators, backedUp, cleanupTempDirs, Doc, errorOf, expectPropError, find, synthAuthored, tempDir, validateApp } from './util';
import { RESTORE_DRILL_SCRIPT } from '../src/private/restore-drill-script';
import { validateManifests } from '../src/validation';

const DAY = 86400;

afterAll(() => cleanupTempDirs());

describe('RestoreDrill with defaults', () => {
  // GIVEN an app with the operators and an hourly database
  const app = Testing.app();
  addOperators(app);
  const chart = new Chart(app, 'database', { namespace: 'databases' });
  const pg = backedUp(chart, 'Test', { schedule: BackupSchedule.hourly() });
  // WHEN
  const drill = new RestoreDrill(chart, 'Drill', { source: pg });
  const docs = synthAuthored(chart).filter(d => d.metadata?.name === 'test-restore-drill');
  const cronJob = find(docs, 'CronJob');
  const role = find(docs, 'Role');
  const configMap = find(docs, 'ConfigMap');
  const podSpec = cronJob.spec.jobTemplate.spec.template.spec;
  const container = podSpec.containers[0];
  const env = Object.fromEntries(container.env.filter((e: Doc) => 'value' in e).map((e: Doc) => [e.name, e.value]));

  test('snapshot of the drill\'s objects (the script is asserted apart)', () => {
    expect(docs.map(d => d.kind).sort()).toEqual(['ConfigMap', 'CronJob', 'PrometheusRule', 'Role', 'RoleBinding', 'ServiceAccount']);
    expect(docs.map(d => (d.kind === 'ConfigMap' ? { ...d, data: Object.keys(d.data) } : d))).toMatchSnapshot();
  });

  test('the whole app passes synth validation', () => {
    expect(() => validateApp(app)).not.toThrow();
  });

  test('a weekly CronJob that never overlaps, fails once, and is stopped after the deadline plus cleanup time', () => {
    expect(drill.schedule.expression).toBe('0 4 * * 0');
    expect(drill.periodSeconds).toBe(7 * DAY);
    expect(cronJob.spec).toMatchObject({ schedule: '0 4 * * 0', concurrencyPolicy: 'Forbid' });
    expect(cronJob.spec.jobTemplate.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 3600 + 600 });
    expect(podSpec.restartPolicy).toBe('Never');
    expect(env).toMatchObject({ DRILL_DEADLINE_SECONDS: '3600', DRILL_RECOVERY_AGE_SECONDS: '900', DRILL_PROBE_SQL: 'select 1', DRILL_DATABASE: 'app' });
    expect(env.DRILL_MINIMUM_ROWS).toBeUndefined();
  });

  test('least privilege: create Clusters; get and delete only its restore; get and exec only its restore\'s pod', () => {
    expect(role.rules).toEqual([
      { apiGroups: ['postgresql.cnpg.io'], resources: ['clusters'], verbs: ['create'] },
      { apiGroups: ['postgresql.cnpg.io'], resources: ['clusters'], resourceNames: ['test-drill'], verbs: ['get', 'delete'] },
      { apiGroups: [''], resources: ['pods'], resourceNames: ['test-drill-1'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods/exec'], resourceNames: ['test-drill-1'], verbs: ['create'] },
    ]);
    expect(find(docs, 'RoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'test-restore-drill', namespace: 'databases' }]);
    expect(podSpec.serviceAccountName).toBe('test-restore-drill');
    // Not the name of the restore's own ServiceAccount and Role, which CNPG creates as <cluster name>.
    expect(drill.name).not.toBe(drill.restoreClusterName);
  });

  test('a pinned image, run as non-root with a read-only root filesystem', () => {
    expect(container.image).toBe('registry.k8s.io/kubectl:v1.33.4');
    expect(container.command).toEqual(['/bin/sh', '/drill/drill.sh']);
    expect(podSpec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
  });

  test('the restore is the PitrRestore of the source with a placeholder target, and it validates', () => {
    expect(configMap.data['drill.sh']).toBe(RESTORE_DRILL_SCRIPT);
    const restore = JSON.parse(configMap.data['restore.json']);
    expect(restore.metadata.name).toBe('test-drill');
    expect(restore.spec.instances).toBe(1);
    expect(restore.spec.bootstrap.recovery).toMatchObject({ source: 'source', recoveryTarget: { targetTime: '__DRILL_TARGET_TIME__' } });
    expect(restore.spec.externalClusters[0].plugin.parameters).toEqual({ barmanObjectName: 'test-store', serverName: 'test' });
    expect(restore.spec.plugins).toBeUndefined(); // a throw-away restore never archives
    // The manifest as the script sends it, checked by the validator with the source's ObjectStore.
    const filled = JSON.parse(configMap.data['restore.json'].replace('__DRILL_TARGET_TIME__', '2026-01-01 00:00:00.000000+00:00'));
    const store = find(synthAuthored(chart), 'ObjectStore');
    const findings = validateManifests([{ doc: { ...filled, metadata: { ...filled.metadata, namespace: 'databases' } }, source: 'restore.json' }, { doc: store, source: 'store' }],
      { unresolvedReferences: 'error' });
    expect(findings.filter(f => f.severity === 'error')).toEqual([]);
  });

  test('promtool accepts the drill alert', () => {
    const result = runPromtool(() => ['check', 'rules', 'rules.yml'], { 'rules.yml': ruleFileOf([find(docs, 'PrometheusRule')], { keepAnnotations: true }) });
    expect(result.output).toContain('SUCCESS: 1 rules found');
  });

  test('the drill alert fires when the drill has not succeeded for 1.5 periods, also when it never did', () => {
    // GIVEN kube-state-metrics series, 5-minute steps over 12 days
    const rules = ruleFileOf([find(docs, 'PrometheusRule')]);
    const step = 300;
    const times = Array.from({ length: 12 * DAY / step + 1 }, (_, i) => i * step);
    const labels = (cronjob: string) => ({ namespace: 'databases', cronjob });
    const firing = [{ namespace: 'databases', cronjob: 'test-restore-drill', severity: 'warning' }];
    // a drill that succeeded at t=1 and then never again
    const rotting = [
      { metric: 'kube_cronjob_created', labels: labels('test-restore-drill'), values: times.map(() => 0) },
      { metric: 'kube_cronjob_status_last_successful_time', labels: labels('test-restore-drill'), values: times.map(() => 1) },
    ];
    // THEN quiet at 8 days (a week and a day), firing at 11 (1.5 weeks = 10.5 days)
    const r1 = promtoolScenario(rules, {
      stepSeconds: step,
      series: rotting,
      expect: [
        { at: 8 * DAY, alert: 'PostgresRestoreDrillNotSucceeding', firing: [] },
        { at: 11 * DAY, alert: 'PostgresRestoreDrillNotSucceeding', firing },
      ],
    });
    expect(r1.output).toContain('SUCCESS');
    // a drill created at t=0 that never succeeded (no last_successful_time series at all)
    const r2 = promtoolScenario(rules, {
      stepSeconds: step,
      series: [rotting[0]],
      expect: [
        { at: 2 * DAY, alert: 'PostgresRestoreDrillNotSucceeding', firing: [] },
        { at: 11 * DAY, alert: 'PostgresRestoreDrillNotSucceeding', firing },
      ],
    });
    expect(r2.output).toContain('SUCCESS');
    // a healthy weekly drill stays quiet
    const r3 = promtoolScenario(rules, {
      stepSeconds: step,
      series: [rotting[0], { ...rotting[1], values: times.map(t => Math.max(1, Math.floor(t / (7 * DAY)) * 7 * DAY + 1200)) }],
      expect: [3, 7, 9, 11, 12].map(d => ({ at: d * DAY, alert: 'PostgresRestoreDrillNotSucceeding', firing: [] })),
    });
    expect(r3.output).toContain('SUCCESS');
  });
});

describe('RestoreDrill options', () => {
  test('schedule, probe, rows, ages, names and image reach the YAML', () => {
    const chart = new Chart(Testing.app(), 'db', { namespace: 'db' });
    const pg = backedUp(chart, 'Orders');
    const drill = new RestoreDrill(chart, 'Drill', {
      source: pg,
      schedule: DrillSchedule.daily({ hour: 5, minute: 30 }),
      probeSql: 'select id from orders limit 10',
      minimumRows: 10,
      recoveryAge: Duration.minutes(30),
      deadline: Duration.hours(2),
      restoreClusterName: 'orders-check',
      name: 'orders-drill-job',
      image: 'registry.k8s.io/kubectl:v1.32.4',
      monitoring: Monitoring.none(),
    });
    const docs = Testing.synth(chart);
    const cronJob = find(docs, 'CronJob');
    const c = cronJob.spec.jobTemplate.spec.template.spec.containers[0];
    const env = Object.fromEntries(c.env.filter((e: Doc) => 'value' in e).map((e: Doc) => [e.name, e.value]));
    expect(cronJob.metadata.name).toBe('orders-drill-job');
    expect(cronJob.spec.schedule).toBe('30 5 * * *');
    expect(drill.periodSeconds).toBe(DAY);
    expect(c.image).toBe('registry.k8s.io/kubectl:v1.32.4');
    expect(env).toMatchObject({ DRILL_PROBE_SQL: 'select id from orders limit 10', DRILL_MINIMUM_ROWS: '10', DRILL_RECOVERY_AGE_SECONDS: '1800', DRILL_DEADLINE_SECONDS: '7200', DRILL_RESTORE_NAME: 'orders-check', DRILL_POD: 'orders-check-1' });
    expect(cronJob.spec.jobTemplate.spec.activeDeadlineSeconds).toBe(7800);
    expect(docs.filter(d => d.kind === 'PrometheusRule' && d.metadata.name === 'orders-drill-job')).toEqual([]);
    expect(DrillSchedule.weekly({ dayOfWeek: 3, hour: 1 }).expression).toBe('0 1 * * 3');
  });

  test('the CronJob is the default child; an escape-hatch patch reaches the YAML', () => {
    const chart = new Chart(Testing.app(), 'db', { namespace: 'db' });
    const drill = new RestoreDrill(chart, 'Drill', { source: backedUp(chart, 'Pg') });
    ApiObject.of(drill).addJsonPatch(JsonPatch.add('/spec/timeZone', 'Europe/Berlin'));
    expect(find(Testing.synth(chart), 'CronJob').spec.timeZone).toBe('Europe/Berlin');
  });

  test.each([
    ['schedule', { schedule: DrillSchedule.cron('0 0 4 * * 0') }, '0 0 4 * * 0', 'DrillSchedule.weekly'],
    ['deadline', { deadline: Duration.minutes(1) }, '60s', 'Duration.hours(1)'],
    ['deadline', { schedule: DrillSchedule.cron('*/30 * * * *') }, '3600s', 'shorter deadline'],
    ['recoveryAge', { recoveryAge: Duration.seconds(5) }, '5s', 'Duration.minutes(15)'],
    ['probeSql', { probeSql: ' ' }, ' ', 'select count(*)'],
    ['minimumRows', { minimumRows: -1 }, -1, 'use e.g. 1'],
    ['restoreClusterName', { restoreClusterName: 'pg' }, 'pg', 'pg-drill'],
    ['restoreClusterName', { restoreClusterName: 'Bad_Name' }, 'Bad_Name', 'bad-name'],
    ['name', { name: 'x'.repeat(53) }, 'x'.repeat(53), 'set name'],
    ['image', { image: 'registry.k8s.io/kubectl:latest' }, 'registry.k8s.io/kubectl:latest', 'pin a version'],
  ])('fails when %s is wrong', (prop, props, value, fix) => {
    const chart = new Chart(Testing.app(), 'db', { namespace: 'db' });
    const pg = backedUp(chart, 'Pg');
    const message = errorOf(() => new RestoreDrill(chart, 'Drill', { source: pg, ...props }));
    expectPropError(message, { path: 'db/Drill', prop, value, fix });
  });

  test('fails when the drill\'s chart has no namespace', () => {
    const chart = new Chart(Testing.app(), 'db');
    const message = errorOf(() => new RestoreDrill(chart, 'Drill', { source: backedUp(chart, 'Pg') }));
    expectPropError(message, { path: 'db/Drill', prop: 'scope', value: 'db/Drill', fix: 'namespace: "databases"' });
  });

  test('fails when the drill is in another namespace than its source', () => {
    const app = Testing.app();
    const pg = backedUp(new Chart(app, 'db', { namespace: 'db' }), 'Pg');
    const message = errorOf(() => new RestoreDrill(new Chart(app, 'drills', { namespace: 'ops' }), 'Drill', { source: pg }));
    expectPropError(message, { path: 'drills/Drill', prop: 'source', value: 'db/Pg', fix: 'source\'s namespace' });
  });
});

/*
 * The script against a fake kubectl that records every call and answers as the scenario says.
 */
describe('the drill script', () => {
  const FAKE_KUBECTL = `#!/bin/sh
# Records its arguments, answers per $FAKE_SCENARIO.
printf '%s\\n' "$*" >> "$FAKE_DIR/calls"
case "$*" in
  *" delete "*)
    n=$(cat "$FAKE_DIR/delete-failures" 2>/dev/null || echo 0)
    if [ "$n" -gt 0 ]; then echo $((n - 1)) > "$FAKE_DIR/delete-failures"; echo "error: etcdserver: request timed out" >&2; exit 1; fi
    rm -f "$FAKE_DIR/leftover"; exit 0 ;;
  *" -o name"*)
    [ -f "$FAKE_DIR/leftover" ] && echo "cluster.postgresql.cnpg.io/$DRILL_RESTORE_NAME"; exit 0 ;;
  *" create "*)
    cat > "$FAKE_DIR/created.json"; [ "$FAKE_SCENARIO" = create-fails ] && exit 1; exit 0 ;;
  *"status.conditions"*)
    polls=$(( $(cat "$FAKE_DIR/polls" 2>/dev/null || echo 0) + 1 )); echo $polls > "$FAKE_DIR/polls"
    case "$FAKE_SCENARIO" in timeout|sigterm) echo False ;; *) [ $polls -ge 2 ] && echo True || echo False ;; esac; exit 0 ;;
  *"status.currentPrimary"*) echo "$DRILL_RESTORE_NAME-1"; exit 0 ;;
  *"status.phase"*) echo "Setting up primary"; exit 0 ;;
  *" exec "*)
    [ "$FAKE_SCENARIO" = probe-fails ] && { echo 'ERROR:  relation "orders" does not exist' >&2; exit 1; }
    printf '1\\n2\\n3\\n'; exit 0 ;;
esac
echo "fake kubectl: unexpected call: $*" >&2
exit 99
`;

  interface Run {
    readonly code: number | null;
    readonly signal: NodeJS.Signals | null;
    readonly calls: string[];
    readonly result: string;
    readonly output: string;
    readonly created?: Doc;
    readonly startedAt: number;
  }

  interface DrillOptions {
    readonly env?: Record<string, string>;
    readonly leftover?: boolean;
    readonly deleteFailures?: number;
    readonly killAfterMs?: number;
  }

  function runDrill(shell: string, scenario: string, options: DrillOptions = {}): Promise<Run> {
    const dir = tempDir('cdk8s-cnpg-drill-');
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'kubectl'), FAKE_KUBECTL, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'drill.sh'), RESTORE_DRILL_SCRIPT);
    fs.writeFileSync(path.join(dir, 'restore.json'), JSON.stringify({ kind: 'Cluster', metadata: { name: 'test-drill' }, spec: { bootstrap: { recovery: { recoveryTarget: { targetTime: '__DRILL_TARGET_TIME__' } } } } }));
    if (options.leftover) fs.writeFileSync(path.join(dir, 'leftover'), '');
    if (options.deleteFailures) fs.writeFileSync(path.join(dir, 'delete-failures'), String(options.deleteFailures));
    const env = {
      PATH: `${bin}:${process.env.PATH}`,
      FAKE_DIR: dir,
      FAKE_SCENARIO: scenario,
      DRILL_NAMESPACE: 'databases',
      DRILL_RESTORE_NAME: 'test-drill',
      DRILL_POD: 'test-drill-1',
      DRILL_DATABASE: 'app',
      DRILL_PROBE_SQL: 'select id from orders',
      DRILL_DEADLINE_SECONDS: '3',
      DRILL_RECOVERY_AGE_SECONDS: '900',
      DRILL_MANIFEST: path.join(dir, 'restore.json'),
      DRILL_POLL_SECONDS: '1',
      DRILL_RESULT_FILE: path.join(dir, 'result'),
      ...options.env,
    };
    const startedAt = Math.floor(Date.now() / 1000);
    return new Promise(resolve => {
      const child = spawn(shell, [path.join(dir, 'drill.sh')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', d => (output += d));
      child.stderr.on('data', d => (output += d));
      const killer = options.killAfterMs !== undefined ? setTimeout(() => child.kill('SIGTERM'), options.killAfterMs) : undefined;
      const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('close', (code, signal) => {
        if (killer) clearTimeout(killer);
        clearTimeout(guard);
        const read = (f: string) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), 'utf-8') : '');
        resolve({
          code,
          signal,
          output,
          startedAt,
          calls: read('calls').split('\n').filter(l => l),
          result: read('result').trim(),
          created: read('created.json') ? JSON.parse(read('created.json')) : undefined,
        });
      });
    });
  }

  const isDelete = (c: string) => / delete cluster\.postgresql\.cnpg\.io test-drill /.test(` ${c} `);

  describe.each(['sh', 'bash'])('under %s', shell => {
    test('success: creates the restore to now minus the age, waits, probes its primary, deletes it last', async () => {
      const run = await runDrill(shell, 'success', { env: { DRILL_MINIMUM_ROWS: '3' } });
      expect(run.code).toBe(0);
      expect(run.result).toMatch(/^OK: restored to \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.000000\+00:00 in \d+s; the probe returned 3 row\(s\)$/);
      // The target time is 900 s before the start, in PostgreSQL's safe UTC form.
      const target = run.created!.spec.bootstrap.recovery.recoveryTarget.targetTime as string;
      const targetSeconds = Date.parse(target.replace(' ', 'T').replace('.000000+00:00', 'Z')) / 1000;
      expect(Math.abs(targetSeconds - (run.startedAt - 900))).toBeLessThanOrEqual(2);
      expect(run.calls.every(c => c.startsWith('--namespace databases'))).toBe(true);
      expect(run.calls.findIndex(c => c.includes(' create -f -'))).toBeGreaterThan(-1);
      expect(run.calls.some(c => c.includes('exec test-drill-1 -c postgres -- psql -X -q -A -t -v ON_ERROR_STOP=1 -d app -c select id from orders'))).toBe(true);
      expect(isDelete(run.calls[run.calls.length - 1])).toBe(true);
      expect(run.calls.filter(isDelete)).toHaveLength(1);
    });

    test('failure: a failing probe fails the drill and still deletes the restore', async () => {
      const run = await runDrill(shell, 'probe-fails');
      expect(run.code).toBe(1);
      expect(run.result).toBe('FAILED: the probe query failed on test-drill');
      expect(isDelete(run.calls[run.calls.length - 1])).toBe(true);
    });

    test('failure: fewer rows than expected fails the drill and deletes the restore', async () => {
      const run = await runDrill(shell, 'success', { env: { DRILL_MINIMUM_ROWS: '4' } });
      expect(run.code).toBe(1);
      expect(run.result).toBe('FAILED: the probe returned 3 row(s), expected at least 4');
      expect(isDelete(run.calls[run.calls.length - 1])).toBe(true);
    });

    test('failure: a create that fails still ends with a delete', async () => {
      const run = await runDrill(shell, 'create-fails');
      expect(run.code).toBe(1);
      expect(run.result).toBe('FAILED: could not create the restore test-drill');
      expect(isDelete(run.calls[run.calls.length - 1])).toBe(true);
    });

    test('timeout: a restore never Ready fails at the deadline, reports its phase and is deleted', async () => {
      const run = await runDrill(shell, 'timeout');
      expect(run.code).toBe(1);
      expect(run.result).toBe('FAILED: test-drill was not Ready within 3s (phase: Setting up primary)');
      expect(run.calls.some(c => c.includes(' exec '))).toBe(false);
      expect(isDelete(run.calls[run.calls.length - 1])).toBe(true);
      // bounded: a handful of polls, not an endless loop
      expect(run.calls.filter(c => c.includes('status.conditions')).length).toBeLessThanOrEqual(6);
    });

    test('SIGTERM (the Job\'s activeDeadlineSeconds) while waiting: recorded, and the restore is deleted', async () => {
      const run = await runDrill(shell, 'sigterm', { env: { DRILL_DEADLINE_SECONDS: '60' }, killAfterMs: 1500 });
      expect(run.code).toBe(143);
      expect(run.result).toMatch(/^FAILED: stopped by a signal/);
      expect(isDelete(run.calls[run.calls.length - 1])).toBe(true);
    });

    test('a restore left by an interrupted run is deleted first, then the drill runs', async () => {
      const run = await runDrill(shell, 'success', { leftover: true });
      expect(run.code).toBe(0);
      const firstDelete = run.calls.findIndex(isDelete);
      const create = run.calls.findIndex(c => c.includes(' create -f -'));
      expect(firstDelete).toBeGreaterThan(-1);
      expect(firstDelete).toBeLessThan(create);
      expect(isDelete(run.calls[run.calls.length - 1])).toBe(true);
    });

    test('a delete that fails is retried; three failures fail the drill with the command to run by hand', async () => {
      const once = await runDrill(shell, 'success', { deleteFailures: 1 });
      expect(once.code).toBe(0);
      expect(once.calls.filter(isDelete)).toHaveLength(2);
      const always = await runDrill(shell, 'success', { deleteFailures: 5 });
      expect(always.code).toBe(1);
      expect(always.calls.filter(isDelete)).toHaveLength(3);
      expect(always.output).toContain('kubectl -n databases delete cluster.postgresql.cnpg.io test-drill');
    }, 30_000);
  });
});

describe('the drill in YAML', () => {
  test('the script in the ConfigMap is the tested one', () => {
    const chart = new Chart(Testing.app(), 'db', { namespace: 'db' });
    new RestoreDrill(chart, 'Drill', { source: backedUp(chart, 'Pg') });
    const cm = yaml.load(yaml.dump(find(Testing.synth(chart), 'ConfigMap'))) as Doc;
    expect(cm.data['drill.sh']).toBe(RESTORE_DRILL_SCRIPT);
  });
});
