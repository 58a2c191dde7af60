import { backupInfo, BACKUPS_NEEDING_A_PIN, FIXTURE_BACKUP, FixtureArchive } from './fixture-archive';
import { LIMITS, readCatalog, readSegment } from '../../src/recovery/archive';
import { formatLsn, parseLsn } from '../../src/recovery/lsn';
import { formatMicros, parseTimestamp } from '../../src/recovery/time';
import { analyseWindow, newestTimeline, timelinePath, WindowTarget } from '../../src/recovery/window';

async function analyse(archive: FixtureArchive, options: { timeline?: number; target?: WindowTarget } = {}) {
  const catalog = await readCatalog(archive, 'pg/', 'srv');
  const window = await analyseWindow(catalog, obj => readSegment(archive, catalog, obj), { ...options, targetTli: options.timeline ? String(options.timeline) : '' });
  return { catalog, window };
}
const at = (t: string) => parseTimestamp(t) as bigint;
const lsn = (l: string) => parseLsn(l)!;

// Commits in the fixtures (truth.json, from pg_waldump): on timeline 1 after the backup 0/C01FE0 at 04:19:16.817634
// and 0/C03FD8 at 04:19:21.091206; on timeline 2 0/D020C8 at 04:19:22.522393 and 0/D040E8 at 04:19:22.565359.
describe('analyseWindow', () => {
  test('GIVEN the two-timeline archive THEN the latest timeline is 2, reached through 1 up to 0/D000A0', async () => {
    const { catalog, window } = await analyse(new FixtureArchive());
    expect(newestTimeline(catalog)).toBe(2);
    expect(timelinePath(catalog, 2)).toEqual([{ timeline: 1, beginLsn: 0n, endLsn: lsn('0/D000A0') }, { timeline: 2, beginLsn: lsn('0/D000A0') }]);
    expect(window.targetTimeline).toBe(2);
  });

  test('GIVEN the archive THEN earliest is the backup\'s end and latest the last commit on timeline 2, to the microsecond', async () => {
    const { window } = await analyse(new FixtureArchive());
    expect(formatMicros(window.earliest!)).toBe('2026-12-02T04:19:14.900000+00:00');
    expect(formatMicros(window.latest!.time)).toBe('2026-12-02T04:19:22.565359+00:00');
    expect(formatLsn(window.latest!.lsn)).toBe('0/D040E8');
  });

  test('GIVEN --timeline 1 THEN latest is the last commit of timeline 1', async () => {
    const { window } = await analyse(new FixtureArchive(), { timeline: 1 });
    expect(formatMicros(window.latest!.time)).toBe('2026-12-02T04:19:21.091206+00:00');
    expect(formatLsn(window.latest!.lsn)).toBe('0/C03FD8');
  });

  test('GIVEN a missing segment after the backup THEN latest is the last commit before the gap', async () => {
    const { window } = await analyse(new FixtureArchive({ without: ['00000002000000000000000D'] }));
    expect(formatLsn(window.latest!.lsn)).toBe('0/C03FD8');
    expect(window.reaches[0].gapAt).toBeUndefined(); // nothing archived after it: the end, not a gap
  });

  test('GIVEN a missing segment with WAL after it THEN the gap is reported and stops recovery', async () => {
    const { window } = await analyse(new FixtureArchive({ without: ['00000001000000000000000C'] }));
    expect(window.reaches[0].gapAt).toBe(0xcn);
    expect(window.latest).toBeUndefined(); // no commit between the backup's end and the gap
  });

  test('GIVEN the backup\'s own WAL is missing THEN nothing is restorable', async () => {
    const { window } = await analyse(new FixtureArchive({ without: ['00000001000000000000000B'] }));
    expect(window.reaches[0].unusable).toMatch(/own WAL segment 00000001000000000000000B is missing/);
    expect(window.earliest).toBeUndefined();
    expect(window.latest).toBeUndefined();
  });

  test('GIVEN no base backup THEN nothing is restorable', async () => {
    const { window } = await analyse(new FixtureArchive({ backups: {} }));
    expect(window.reaches).toEqual([]);
    expect(window.earliest).toBeUndefined();
  });

  test.each<[string, WindowTarget, boolean, RegExp]>([
    ['a time between two commits', { time: at('2026-12-02T04:19:20+00:00') }, true, /recoverable from backup 20261202T041914, the one CNPG picks/],
    ['a time just before the last commit', { time: at('2026-12-02T04:19:22.565358+00:00') }, true, /recoverable/],
    ['a time exactly at the last commit', { time: at('2026-12-02T04:19:22.565359+00:00') }, false, /no transaction ends after the target/],
    ['exclusive, exactly at the last commit', { time: at('2026-12-02T04:19:22.565359+00:00'), exclusive: true }, true, /recoverable/],
    ['a time after the last commit', { time: at('2026-12-02T05:00:00+00:00') }, false, /no transaction ends after the target/],
    ['a time before the backup ended', { time: at('2026-12-02T04:19:14.5+00:00') }, false, /CNPG finds no backup/],
    ['an LSN on timeline 2', { lsn: lsn('0/D020C8') }, true, /recoverable/],
    ['an LSN inside the backup', { lsn: lsn('0/B00100') }, false, /CNPG finds no backup/],
    ['an LSN past the end of the WAL', { lsn: lsn('0/E00000') }, false, /ends before the target/],
  ])('GIVEN %s THEN the verdict is right', async (_, target, recoverable, reason) => {
    const { window } = await analyse(new FixtureArchive(), { target });
    expect(window.verdict!.recoverable).toBe(recoverable);
    expect(window.verdict!.reason).toMatch(reason);
  });

  test('GIVEN a newer backup that CNPG picks but that is not on the target timeline\'s history THEN the older one is pinned', async () => {
    const { window } = await analyse(new FixtureArchive({ backups: BACKUPS_NEEDING_A_PIN }), {
      target: { time: at('2026-12-02T04:19:22.53+00:00') },
    });
    expect(window.verdict).toMatchObject({ recoverable: true, backupId: '20261202T041914', cnpgWouldChoose: '20261202T041922', pinBackupId: true });
    expect(window.reaches[1].unusable).toMatch(/not on the history of timeline 2/);
  });

  test('GIVEN a commit inside the backup after the target THEN that backup is not used for it', async () => {
    // Pretend the backup spans 0/A00000..0/B00170 and ended at 04:18:23.60: the commit at 0/A3E498 (04:18:23.592938)
    // is inside it; a target before that commit would stop before consistency.
    const wide = backupInfo({
      beginTime: '2026-12-02 04:18:23.500000+00:00',
      endTime: '2026-12-02 04:18:23.560000+00:00',
      beginXlog: '0/A18C50',
      endXlog: '0/A40600',
      beginWal: '00000001000000000000000A',
      endWal: '00000001000000000000000A',
    });
    const { window } = await analyse(new FixtureArchive({ backups: { '20261202T041823': wide } }), { target: { time: at('2026-12-02T04:18:23.58+00:00') } });
    expect(window.verdict!.recoverable).toBe(false);
    expect(window.verdict!.reason).toMatch(/inside backup 20261202T041823 \(0\/A3E498/);
  });

  test('GIVEN a pinned backup that does not exist THEN not recoverable', async () => {
    const { window } = await analyse(new FixtureArchive(), { target: { time: at('2026-12-02T04:19:20+00:00'), backupId: '20200101T000000' } });
    expect(window.verdict).toMatchObject({ recoverable: false, reason: expect.stringMatching(/no completed backup "20200101T000000"/) });
  });

  test('fails when the last commit is further back than the limit on segments read', async () => {
    const saved = LIMITS.maxScannedSegments;
    LIMITS.maxScannedSegments = 1;
    try {
      // Segments 07 to 09 hold no commit (full-page images of one long transaction).
      const early = backupInfo({
        beginTime: '2026-12-02 04:18:22.000000+00:00',
        endTime: '2026-12-02 04:18:22.100000+00:00',
        beginXlog: '0/700028',
        endXlog: '0/700100',
        beginWal: '000000010000000000000007',
        endWal: '000000010000000000000007',
      });
      const archive = new FixtureArchive({ backups: { '20261202T041822': early }, without: ['00000001000000000000000A', '00000001000000000000000B', '00000001000000000000000C'] });
      await expect(analyse(archive)).rejects.toThrow(/no commit in the last 1 WAL segments before 000000010000000000000009/);
    } finally {
      LIMITS.maxScannedSegments = saved;
    }
  });

  test('GIVEN two backups on one WAL chain THEN the tail of the WAL is read once', async () => {
    const second = backupInfo({
      beginTime: '2026-12-02 04:19:16.000000+00:00',
      endTime: '2026-12-02 04:19:16.100000+00:00',
      beginXlog: '0/C00028',
      endXlog: '0/C00100',
      beginWal: '00000001000000000000000C',
      endWal: '00000001000000000000000C',
    });
    const archive = new FixtureArchive({ backups: { '20261202T041914': FIXTURE_BACKUP, '20261202T041916': second } });
    const { window } = await analyse(archive);
    expect(window.reaches.map(r => formatLsn(r.lastCommit!.lsn))).toEqual(['0/D040E8', '0/D040E8']);
    expect(archive.gets).toBe(2 + 1 + 1); // two backup.info, the history file, one segment
  });
});
