/**
 * recovery-window against archives written by the real tools (PostgreSQL 15, barman-cloud-wal-archive and
 * barman-cloud-backup into s3rver on 127.0.0.1, see test/roundtrip/archive-lab.ts), checked against what the lab
 * recorded as it wrote them, and its verdicts against real restores. Needs postgresql-15 and barman-cli-cloud
 * (bash .ci/run installs them): a missing one fails the suite, never skips it.
 */
import { run } from '../../src/cli/recovery-window';
import { WindowJson } from '../../src/recovery/report';
import { ArchiveLab, ArchiveTruth, fromMicros, restoreBackup, ScenarioName, toMicros } from '../roundtrip/archive-lab';

jest.setTimeout(20 * 60_000);

let lab: ArchiveLab;
const truths = new Map<ScenarioName, ArchiveTruth>();

beforeAll(async () => {
  lab = await ArchiveLab.start({ major: 15 });
});

afterAll(async () => {
  await lab?.stop();
});

async function scenario(name: ScenarioName): Promise<ArchiveTruth> {
  if (!truths.has(name)) truths.set(name, await lab.scenario(name));
  return truths.get(name)!;
}

async function window(t: ArchiveTruth, ...extra: string[]): Promise<{ code: number; json: WindowJson; stderr: string }> {
  let out = '';
  let err = '';
  const code = await run([t.destinationPath, '--server-name', t.serverName, '--endpoint-url', lab.endpointUrl, '--json', ...extra], {
    stdout: s => { out += s; }, stderr: s => { err += s; }, env: { ...lab.s3Env, HOME: '/nonexistent' },
  });
  return { code, json: out ? JSON.parse(out) : undefined, stderr: err };
}

/** `YYYY-MM-DD HH:MM:SS.ffffff+00:00` as the report prints it. */
const rfc = (t: string) => t.replace(' ', 'T');
const rowTime = (t: ArchiveTruth, id: number) => t.rows.find(r => r.id === id)!.commitTime;

describe.each<[ScenarioName, number | null]>([
  ['healthy', 12],
  ['gap', 4],
  ['no-backup', null],
  ['two-timelines', 103],
  ['many-segments', 13],
  ['bzip2', 5],
  ['wal-before-backup', 8],
])('GIVEN the %s archive', (name, lastRow) => {
  test('THEN backups, gaps, timelines, earliest and latest are exactly the truth', async () => {
    const t = await scenario(name);
    const { code, json, stderr } = await window(t);
    expect(stderr).toBe('');
    expect(json.backups.map(b => [b.id, b.endTime, b.beginLsn, b.endLsn, b.timeline, b.status]))
      .toEqual(t.backups.map(b => [b.id, rfc(b.endTime), b.beginLsn, b.endLsn, b.timeline, 'DONE']));
    expect(json.timelines.flatMap(x => x.missingSegments)).toEqual(t.deletedSegments);
    expect(json.timelines.map(x => ({ timeline: x.timeline, parent: x.parent }))).toEqual(t.timelines);
    expect(json.earliest).toBe(t.backups.length ? rfc(t.backups[0].endTime) : null);
    expect(json.latest).toBe(lastRow === null ? null : rfc(rowTime(t, lastRow)));
    expect(code).toBe(lastRow === null ? 3 : 0);
  });
});

describe('GIVEN PostgreSQL 18 (the major CNPG 1.28 runs)', () => {
  let lab18: ArchiveLab;
  beforeAll(async () => {
    lab18 = await ArchiveLab.start({ major: 18 });
  });
  afterAll(async () => {
    await lab18?.stop();
  });

  test('THEN the healthy archive\'s window is exactly the truth', async () => {
    const t = await lab18.scenario('healthy');
    let out = '';
    const code = await run([t.destinationPath, '--server-name', t.serverName, '--endpoint-url', lab18.endpointUrl, '--json'], {
      stdout: s => { out += s; }, stderr: () => undefined, env: { ...lab18.s3Env, HOME: '/nonexistent' },
    });
    const json: WindowJson = JSON.parse(out);
    expect(code).toBe(0);
    expect(json.earliest).toBe(rfc(t.backups[0].endTime));
    expect(json.latest).toBe(rfc(rowTime(t, 12)));
  });
});

describe('verdicts agree with real restores', () => {
  /** Restores with the backup the verdict names and the target CNPG would write; returns the rows or the failure. */
  async function restoreTo(t: ArchiveTruth, backupId: string, options: string) {
    const backup = t.backups.find(b => b.id === backupId)!;
    return restoreBackup(lab, { source: t.target, backupId, beginWal: backup.beginWal, recoveryOptions: options });
  }

  test('GIVEN a time just before the last commit THEN recoverable, and a restore ends with every row but the last', async () => {
    const t = await scenario('healthy');
    const target = fromMicros(toMicros(rowTime(t, 12)) - 1n);
    const { code, json } = await window(t, '--target-time', target);
    expect(code).toBe(0);
    expect(json.target).toMatchObject({ recoverable: true, backupId: t.backups[0].id, cnpgWouldChoose: t.backups[0].id });
    const outcome = await restoreTo(t, json.target!.backupId!, `recovery_target_time = '${target}'\n`);
    expect(outcome.promoted).toBe(true);
    expect(outcome.rowIds).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  test('GIVEN a time exactly at the last commit THEN not recoverable, and a restore fails as PostgreSQL says', async () => {
    const t = await scenario('healthy');
    const target = rowTime(t, 12);
    const { code, json } = await window(t, '--target-time', target);
    expect(code).toBe(3);
    expect(json.target).toMatchObject({ recoverable: false, backupId: null, cnpgWouldChoose: t.backups[0].id });
    expect(json.target!.reason).toMatch(/no transaction ends after the target/);
    const outcome = await restoreTo(t, t.backups[0].id, `recovery_target_time = '${target}'\n`);
    expect(outcome.promoted).toBe(false);
    expect(outcome.error).toMatch(/recovery ended before configured recovery target was reached/);
  });

  test('GIVEN a time before the first backup ends THEN not recoverable (a restore would return the backup\'s state)', async () => {
    const t = await scenario('healthy');
    const target = fromMicros(toMicros(t.backups[0].endTime) - 1000n);
    const { code, json } = await window(t, '--target-time', target);
    expect(code).toBe(3);
    expect(json.target).toMatchObject({ recoverable: false, cnpgWouldChoose: null });
    expect(json.target!.reason).toMatch(/nearest recoverable point: the earliest recoverable time is/);
  });

  test('GIVEN a time inside the gap THEN not recoverable; a time before the gap is', async () => {
    const t = await scenario('gap');
    const inGap = fromMicros((toMicros(rowTime(t, 5)) + toMicros(rowTime(t, 6))) / 2n);
    const { code, json } = await window(t, '--target-time', inGap);
    expect(code).toBe(3);
    expect(json.target!.recoverable).toBe(false);
    const outcome = await restoreTo(t, t.backups[0].id, `recovery_target_time = '${inGap}'\n`);
    expect(outcome.promoted).toBe(false);
    const beforeGap = fromMicros((toMicros(rowTime(t, 3)) + toMicros(rowTime(t, 4))) / 2n);
    const ok = await window(t, '--target-time', beforeGap);
    expect(ok.code).toBe(0);
    const restored = await restoreTo(t, t.backups[0].id, `recovery_target_time = '${beforeGap}'\n`);
    expect(restored.rowIds).toEqual([1, 2, 3]);
  });

  test('GIVEN an LSN inside the backup\'s own range THEN not recoverable, and a restore from that backup fails', async () => {
    const t = await scenario('healthy');
    const b = t.backups[0];
    const { code, json } = await window(t, '--target-lsn', b.beginLsn);
    expect(code).toBe(3);
    expect(json.target!.recoverable).toBe(false);
    const outcome = await restoreTo(t, b.id, `recovery_target_lsn = '${b.beginLsn}'\n`);
    expect(outcome.promoted).toBe(false);
    expect(outcome.error).toMatch(/before consistent recovery point/);
  });

  test('GIVEN an LSN right after a row on timeline 2 THEN recoverable along the history, and a restore gives the rows', async () => {
    const t = await scenario('two-timelines');
    const row = t.rows.find(r => r.id === 102)!;
    const { code, json } = await window(t, '--target-lsn', row.lsnAfter);
    expect(code).toBe(0);
    expect(json.target).toMatchObject({ recoverable: true, backupId: t.backups[0].id });
    const outcome = await restoreTo(t, t.backups[0].id, `recovery_target_lsn = '${row.lsnAfter}'\nrecovery_target_timeline = 'latest'\n`);
    expect(outcome.promoted).toBe(true);
    expect(outcome.rowIds).toEqual([1, 2, 3, 4, 101, 102]);
  });
});
