import { runCommand } from './cli';
import { oneLine } from '../private/text';

/** Never a stack trace for what a user gave us: one line, exit 2 (set CDK8S_CNPG_DEBUG=1 for the trace). */
function internalError(e: unknown): number {
  process.stderr.write(`cdk8s-cnpg: internal error: ${oneLine(String((e as Error)?.message ?? e))}\n`);
  if (process.env.CDK8S_CNPG_DEBUG === '1') process.stderr.write(`${(e as Error)?.stack}\n`);
  return 2;
}

try {
  runCommand(process.argv.slice(2), {
    stdout: s => process.stdout.write(s),
    stderr: s => process.stderr.write(s),
  }).then(code => {
    process.exitCode = code;
  }, e => {
    process.exitCode = internalError(e);
  });
} catch (e) {
  process.exitCode = internalError(e);
}
