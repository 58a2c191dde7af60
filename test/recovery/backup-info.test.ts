import { FIXTURE_BACKUP } from './fixture-archive';
import { parseBackupInfo } from '../../src/recovery/backup-info';
import { formatLsn } from '../../src/recovery/lsn';
import { formatMicros } from '../../src/recovery/time';

describe('parseBackupInfo', () => {
  test('GIVEN a backup.info as barman-cloud-backup writes it THEN the recovery fields are read exactly', () => {
    const b = parseBackupInfo('20261202T041914', FIXTURE_BACKUP);
    expect(b.id).toBe('20261202T041914');
    expect(b.name).toBe('backup-20261202041914');
    expect(b.status).toBe('DONE');
    expect(formatMicros(b.beginTime!)).toBe('2026-12-02T04:19:14.000000+00:00');
    expect(formatMicros(b.endTime!)).toBe('2026-12-02T04:19:14.900000+00:00');
    expect([formatLsn(b.beginLsn!), formatLsn(b.endLsn!)]).toEqual(['0/B00028', '0/B00170']);
    expect([b.beginWal, b.endWal, b.timeline, b.segmentSize]).toEqual(['00000001000000000000000B', '00000001000000000000000B', 1, 1024 * 1024]);
    expect(b.raw.backup_label).toMatch(/^START WAL LOCATION: 0\/B00028.*\nBACKUP METHOD: streamed\n$/s);
  });

  test('GIVEN a failed backup without an end THEN the missing fields stay undefined', () => {
    const b = parseBackupInfo('20261202T000000', 'status=FAILED\nbegin_time=2026-12-02 00:00:00.000001+00:00\nend_time=None\nend_xlog=None\ntimeline=1\nerror=failure uploading data\n');
    expect(b.status).toBe('FAILED');
    expect(b.endTime).toBeUndefined();
    expect(b.endLsn).toBeUndefined();
    expect(b.name).toBeUndefined();
  });

  test('GIVEN junk lines THEN they are ignored, and a backup without a status is UNKNOWN', () => {
    const b = parseBackupInfo('x', 'no equals sign\n=value\n');
    expect(b.status).toBe('UNKNOWN');
    expect(b.beginTime).toBeUndefined();
  });
});
