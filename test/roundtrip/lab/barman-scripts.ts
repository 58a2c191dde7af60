/**
 * The two commands PostgreSQL itself runs: archive_command and restore_command, as small shell scripts that run the
 * barman-cloud tool with the sidecar's arguments and exactly the sidecar's environment (`env -i`).
 */
import * as path from 'path';
import { BarmanTarget } from './barman-config';
import { writePgFile } from './processes';

/** Writes `archive-wal.sh` into `dir`; returns the archive_command (`<script> %p`). */
export function writeArchiveScript(dir: string, target: BarmanTarget): string {
  return writeScript(path.join(dir, 'archive-wal.sh'), 'barman-cloud-wal-archive', target.walArchiveArgs, target.env, '"$1"', '%p');
}

/** Writes `restore-wal.sh` into `dir`; returns the restore_command (`<script> %f %p`). */
export function writeRestoreScript(dir: string, source: BarmanTarget): string {
  return writeScript(path.join(dir, 'restore-wal.sh'), 'barman-cloud-wal-restore', source.walRestoreArgs, source.env, '"$1" "$2"', '%f %p');
}

function writeScript(file: string, tool: string, args: readonly string[], env: Record<string, string>, shellArgs: string, pgArgs: string): string {
  const q = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
  const vars = Object.entries({ PATH: '/usr/bin:/bin', TZ: 'UTC', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', ...env })
    .map(([k, v]) => `${k}=${q(v)}`).join(' ');
  writePgFile(file, `#!/bin/sh\nexec env -i ${vars} /usr/bin/${tool} ${args.map(q).join(' ')} ${shellArgs}\n`, 0o700);
  return `${file} ${pgArgs}`;
}
