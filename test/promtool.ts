import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { Doc } from './util';

/** promtool must be installed (Debian `prometheus`; `.ci/run` installs it): a missing one fails, never skips. */
export function promtoolPath(env: NodeJS.ProcessEnv = process.env): string {
  const found = spawnSync('/bin/sh', ['-c', 'command -v promtool'], { encoding: 'utf-8', env });
  const p = (found.stdout ?? '').trim();
  if (found.status !== 0 || !p) {
    throw new Error('promtool is not installed: run `apt-get install -y prometheus` (the CI script .ci/run does)');
  }
  return p;
}

/** The Prometheus rule file the Prometheus Operator would write for these PrometheusRule documents. */
export function ruleFileOf(prometheusRules: Doc[], options: { keepAnnotations?: boolean } = {}): Doc {
  return {
    groups: prometheusRules.flatMap(r => r.spec.groups).map((g: Doc) => ({
      ...g,
      rules: g.rules.map((rule: Doc) => (options.keepAnnotations ? rule : { ...rule, annotations: undefined })),
    })),
  };
}

/** Runs promtool with files written to a scratch folder; returns its exit status and output. */
export function runPromtool(args: (dir: string) => string[], files: Record<string, unknown>): { status: number; output: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-cnpg-promtool-'));
  try {
    for (const [name, content] of Object.entries(files)) {
      fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : yaml.dump(content, { lineWidth: -1, noRefs: true }));
    }
    try {
      const output = execFileSync(promtoolPath(), args(dir), { cwd: dir, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
      return { status: 0, output };
    } catch (e) {
      const err = e as { status?: number; stdout?: string; stderr?: string; message: string };
      if (err.status === undefined || err.status === null) throw e;
      return { status: err.status, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A series for a promtool test: a value per step (undefined: no sample). */
export interface Series {
  readonly metric: string;
  readonly labels: Record<string, string>;
  readonly values: ReadonlyArray<number | undefined>;
}

/** One expectation: at `at` seconds, `alert` fires with these label sets (none: quiet). */
export interface Expectation {
  readonly at: number;
  readonly alert: string;
  readonly firing: ReadonlyArray<Record<string, string>>;
}

/** Runs one promtool unit-test scenario over `rules`; returns promtool's verdict. */
export function promtoolScenario(
  rules: Doc, scenario: { stepSeconds: number; series: Series[]; expect: Expectation[] },
): { status: number; output: string } {
  const step = `${scenario.stepSeconds}s`;
  const test = {
    rule_files: ['rules.yml'],
    evaluation_interval: step,
    tests: [{
      interval: step,
      input_series: scenario.series.map(s => ({
        series: `${s.metric}{${Object.entries(s.labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`,
        values: s.values.map(v => (v === undefined ? '_' : String(v))).join(' '),
      })),
      alert_rule_test: scenario.expect.map(e => ({
        eval_time: `${e.at}s`,
        alertname: e.alert,
        exp_alerts: e.firing.map(labels => ({ exp_labels: labels })),
      })),
    }],
  };
  return runPromtool(() => ['test', 'rules', 'test.yml'], { 'rules.yml': rules, 'test.yml': test });
}
