import { runCli } from './cli';
import { oneLine } from '../private/text';

try {
  process.exitCode = runCli(process.argv.slice(2), {
    stdout: s => process.stdout.write(s),
    stderr: s => process.stderr.write(s),
  });
} catch (e) {
  // Never a stack trace for what a user gave us: one line, exit 2 (set CDK8S_CNPG_DEBUG=1 for the trace).
  process.stderr.write(`cdk8s-cnpg: internal error: ${oneLine(String((e as Error)?.message ?? e))}\n`);
  if (process.env.CDK8S_CNPG_DEBUG === '1') process.stderr.write(`${(e as Error)?.stack}\n`);
  process.exitCode = 2;
}
