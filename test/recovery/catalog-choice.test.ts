import { backupInfo } from './fixture-archive';
import { BackupInfo, parseBackupInfo } from '../../src/recovery/backup-info';
import { cnpgBackupChoice } from '../../src/recovery/catalog-choice';
import { parseLsn } from '../../src/recovery/lsn';
import { parseTimestamp } from '../../src/recovery/time';

// Three backups: A (timeline 1), B (timeline 1), C (timeline 2); D failed without an end.
const backup = (id: string, begin: string, end: string | undefined, beginLsn: string, endLsn: string, timeline = 1): BackupInfo =>
  parseBackupInfo(id, backupInfo({
    beginTime: begin, endTime: end ?? 'None', beginXlog: beginLsn, endXlog: endLsn, beginWal: '', endWal: '', timeline, status: end ? 'DONE' : 'FAILED',
  }));
const A = backup('20250101T000000', '2025-01-01 00:00:00+00:00', '2025-01-01 00:10:00+00:00', '0/1000028', '0/1000100');
const B = backup('20250102T000000', '2025-01-02 00:00:00+00:00', '2025-01-02 00:10:00+00:00', '0/5000028', '0/5000100');
const C = backup('20250103T000000', '2025-01-03 00:00:00+00:00', '2025-01-03 00:10:00+00:00', '0/9000028', '0/9000100', 2);
const D = backup('20250104T000000', '2025-01-04 00:00:00+00:00', undefined, '0/C000028', '0/C000100');
const ALL = [C, D, A, B]; // listing order does not matter: CNPG sorts
const t = (s: string) => parseTimestamp(s) as bigint;

describe('cnpgBackupChoice (barman-cloud pkg/catalog FindBackupInfo)', () => {
  test.each<[string, Parameters<typeof cnpgBackupChoice>[1], BackupInfo | undefined]>([
    ['a time after every backup', { time: t('2025-02-01 00:00:00+00') }, C],
    ['a time exactly at a backup\'s end (EndTime <= target)', { time: t('2025-01-02 00:10:00+00') }, B],
    ['a time 1 µs before a backup\'s end', { time: t('2025-01-02 00:09:59.999999+00') }, A],
    ['a time before every backup ends', { time: t('2025-01-01 00:05:00+00') }, undefined],
    ['a time with targetTLI 1', { time: t('2025-02-01 00:00:00+00'), targetTli: '1' }, B],
    ['a time with targetTLI latest', { time: t('2025-02-01 00:00:00+00'), targetTli: 'latest' }, C],
    ['an LSN after B ends (EndLSN < target)', { lsn: parseLsn('0/5000101') }, B],
    ['an LSN exactly at B\'s end', { lsn: parseLsn('0/5000100') }, A],
    ['an LSN inside C', { lsn: parseLsn('0/9000050') }, B],
    ['a backupID', { backupId: A.id, time: t('2025-02-01 00:00:00+00') }, A],
    ['the backupID of a backup without an end', { backupId: D.id }, undefined],
    ['no target (LatestBackupInfo)', {}, C],
  ])('GIVEN %s THEN CNPG picks the right backup', (_, target, expected) => {
    expect(cnpgBackupChoice(ALL, target)?.id).toBe(expected?.id);
  });
});
