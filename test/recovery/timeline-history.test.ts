import * as fs from 'fs';
import * as path from 'path';
import { decompress } from '../../src/recovery/decompress';
import { formatLsn } from '../../src/recovery/lsn';
import { parseTimelineHistory } from '../../src/recovery/timeline-history';

describe('parseTimelineHistory', () => {
  test('GIVEN the history file PostgreSQL wrote when the standby was promoted THEN timeline 1 ends at 0/D000A0', async () => {
    const data = await decompress(fs.readFileSync(path.join(__dirname, 'fixtures', 'archive', '00000002.history.bz2')), 'bzip2', 4096);
    const history = parseTimelineHistory(data.toString('utf-8'));
    expect(history.map(h => [h.timeline, formatLsn(h.switchLsn)])).toEqual([[1, '0/D000A0']]);
  });

  test('GIVEN comments, blank lines and several ancestors THEN each ancestor is read in order', () => {
    const history = parseTimelineHistory('# comment\n1\t0/3000000\tno recovery target specified\n\n2\t0/5000A8\tbefore 2025-12-27 20:43:00+00\n');
    expect(history.map(h => [h.timeline, formatLsn(h.switchLsn)])).toEqual([[1, '0/3000000'], [2, '0/5000A8']]);
  });

  test.each([
    ['1 garbage', /line 1 is not/],
    ['2\t0/1\tx\n1\t0/2\tx', /must increase/],
  ])('fails when the file is %j', (text, message) => {
    expect(() => parseTimelineHistory(text)).toThrow(message);
  });
});
