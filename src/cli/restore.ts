import { CommandIo } from './recovery-window';

/** Runs `restore`; resolves to the exit code. */
export async function run(_argv: readonly string[], io: CommandIo): Promise<number> {
  io.stderr('not yet\n');
  return 2;
}
