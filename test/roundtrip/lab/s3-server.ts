/**
 * An S3 API server on 127.0.0.1 (npm s3rver), in its own Node process so that the barman-cloud tools the tests
 * run (and PostgreSQL's archive_command) are served while the test process waits for them.
 *
 * The child exits when its standard input closes, so it never outlives the test process.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import { killGroup, waitFor } from './processes';

/** s3rver's built-in account: the only credentials it accepts (it checks SigV4 signatures). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

const CHILD = `
const S3rver = require(process.argv[1]);
const server = new S3rver({
  address: '127.0.0.1', port: 0, silent: true, directory: process.argv[2],
  configureBuckets: process.argv.slice(3).map(name => ({ name })),
});
server.run().then(address => process.stdout.write(JSON.stringify({ port: address.port }) + '\\n'))
  .catch(err => { process.stderr.write(String(err && err.stack || err) + '\\n'); process.exit(1); });
const stop = () => server.close().finally(() => process.exit(0));
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
`;

/** A running s3rver. */
export class S3Server {
  /** Starts s3rver storing objects under `directory`, with the buckets created up front. */
  public static async start(directory: string, buckets: readonly string[], timeoutMs = 60_000): Promise<S3Server> {
    let modulePath: string;
    try {
      modulePath = require.resolve('s3rver');
    } catch {
      throw new Error('the round-trip tests need the npm package s3rver (a devDependency): run `npm ci`');
    }
    fs.mkdirSync(directory, { recursive: true });
    const child = spawn(process.execPath, ['-e', CHILD, modulePath, directory, ...buckets], {
      stdio: ['pipe', 'pipe', 'pipe'], detached: true,
    });
    let stdout = '';
    let stderr = '';
    let exited: number | null | undefined;
    child.stdout!.on('data', d => { stdout += d; });
    child.stderr!.on('data', d => { stderr += d; });
    child.on('exit', code => { exited = code; });
    try {
      const port = await waitFor('s3rver to listen on 127.0.0.1', async () => {
        if (exited !== undefined) throw new Error(`s3rver exited ${exited}: ${stderr.trim()}`);
        const line = stdout.split('\n').find(l => l.startsWith('{'));
        return line ? (JSON.parse(line).port as number) : undefined;
      }, timeoutMs, 50);
      return new S3Server(child, port);
    } catch (err) {
      killGroup(child, 'SIGKILL');
      throw err;
    }
  }

  /** The endpoint URL, as an ObjectStore's `endpointURL`. */
  public readonly endpointUrl: string;

  private constructor(private readonly child: ChildProcess, public readonly port: number) {
    this.endpointUrl = `http://127.0.0.1:${port}`;
  }

  /** The process id (to stop it from elsewhere). */
  public get pid(): number | undefined {
    return this.child.pid;
  }

  /** Stops the server and waits for the process to end (bounded). */
  public async stop(timeoutMs = 10_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const ended = new Promise<void>(resolve => this.child.once('exit', () => resolve()));
    this.child.stdin!.end();
    const timer = setTimeout(() => killGroup(this.child, 'SIGKILL'), timeoutMs);
    await ended;
    clearTimeout(timer);
  }

  /** Kills the server at once (exit handlers). */
  public kill(): void {
    killGroup(this.child, 'SIGKILL');
  }
}
