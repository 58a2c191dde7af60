/**
 * Hostile files and folders given to `cdk8s-cnpg validate`: each answered by exit 2 and one line, never a hang,
 * a crash or a stack trace. Each case runs the real CLI in its own process (see harness.ts).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { canDropPrivileges, caseDir, cleanup, expectFindings, expectOneLine, reportObserved, runCli } from './harness';

afterAll(() => {
  reportObserved('input-files');
  cleanup();
});

const VALID = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n  namespace: db\ndata:\n  a: b\n';

function fifo(file: string): string {
  execFileSync('mkfifo', [file]);
  return file;
}

describe('hostile files: exit 2 and one line', () => {
  test.each<[string, () => string[], RegExp]>([
    ['/dev/zero', () => ['/dev/zero'], /^cdk8s-cnpg: \/dev\/zero: cannot read: a character device, not a regular file\n$/],
    ['/dev/urandom', () => ['/dev/urandom'], /a character device, not a regular file/],
    ['a FIFO with no writer', () => [fifo(path.join(caseDir(), 'pipe.yaml'))], /pipe\.yaml: cannot read: a FIFO \(named pipe\), not a regular file/],
    ['a FIFO inside a scanned folder', () => {
      const dir = caseDir();
      fs.writeFileSync(path.join(dir, 'a.yaml'), VALID);
      fifo(path.join(dir, 'b.yaml'));
      return [dir];
    }, /b\.yaml: cannot read: a FIFO \(named pipe\), not a regular file/],
    ['a symbolic link loop given directly', () => {
      const dir = caseDir();
      fs.symlinkSync('b.yaml', path.join(dir, 'a.yaml'));
      fs.symlinkSync('a.yaml', path.join(dir, 'b.yaml'));
      return [path.join(dir, 'a.yaml')];
    }, /a\.yaml: cannot read: a symbolic link loop/],
    ['a symbolic link loop inside a scanned folder (a link to its own parent)', () => {
      const dir = caseDir();
      fs.mkdirSync(path.join(dir, 'sub'));
      fs.writeFileSync(path.join(dir, 'sub', 'a.yaml'), VALID);
      fs.symlinkSync('..', path.join(dir, 'sub', 'up'));
      return [dir];
    }, /sub\/up: cannot read: a symbolic link loop \(it leads back to a folder being scanned\)/],
    ['a dangling link given directly', () => {
      const dir = caseDir();
      fs.symlinkSync('missing.yaml', path.join(dir, 'a.yaml'));
      return [path.join(dir, 'a.yaml')];
    }, /a\.yaml: cannot read: a dangling symbolic link \(to missing\.yaml\)/],
    ['a dangling link inside a scanned folder', () => {
      const dir = caseDir();
      fs.writeFileSync(path.join(dir, 'a.yaml'), VALID);
      fs.symlinkSync('/nonexistent/x', path.join(dir, 'b.yaml'));
      return [dir];
    }, /b\.yaml: cannot read: a dangling symbolic link \(to \/nonexistent\/x\)/],
    ['an empty file', () => {
      const file = path.join(caseDir(), 'empty.yaml');
      fs.writeFileSync(file, '');
      return [file];
    }, /empty\.yaml: the file is empty\n$/],
    ['a file of comments and blank documents only', () => {
      const file = path.join(caseDir(), 'comments.yaml');
      fs.writeFileSync(file, '# nothing\n---\n---\n# still nothing\n');
      return [file];
    }, /comments\.yaml: no Kubernetes objects in the file/],
    ['invalid UTF-8', () => {
      const file = path.join(caseDir(), 'latin1.yaml');
      fs.writeFileSync(file, Buffer.concat([Buffer.from(VALID), Buffer.from('  c: caf\xe9\n', 'latin1')]));
      return [file];
    }, /latin1\.yaml: not valid UTF-8 \(byte 89\); save it as UTF-8/],
    ['UTF-16 with a byte order mark', () => {
      const file = path.join(caseDir(), 'utf16.yaml');
      fs.writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(VALID, 'utf16le')]));
      return [file];
    }, /utf16\.yaml: not valid UTF-8 \(byte 0, the file looks like UTF-16\)/],
    ['binary garbage', () => {
      const file = path.join(caseDir(), 'garbage.yaml');
      fs.writeFileSync(file, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
      return [file];
    }, /garbage\.yaml: not valid UTF-8/],
    ['a NUL byte in YAML', () => {
      const file = path.join(caseDir(), 'nul.yaml');
      fs.writeFileSync(file, `${VALID}  c: "x\u0000y"\n  d: x\u0000y\n`);
      return [file];
    }, /nul\.yaml: .*null byte is not allowed/],
    ['a 17 MiB file (sparse: over the size limit before a byte is read)', () => {
      const file = path.join(caseDir(), 'huge.yaml');
      const fd = fs.openSync(file, 'w');
      fs.ftruncateSync(fd, 17 * 1024 * 1024);
      fs.closeSync(fd);
      return [file];
    }, /huge\.yaml: 17\.0 MiB, over the 16\.0 MiB limit for one file; split it into smaller files/],
    ['a missing file whose name holds control characters', () => [path.join(caseDir(), 'a\n\u001b[31mfake.yaml')], /cannot read: no such file or directory/],
    ['a folder without manifests', () => {
      const dir = caseDir();
      fs.writeFileSync(path.join(dir, 'README.md'), '# hi');
      return [dir];
    }, /no \.yaml, \.yml or \.json files found/],
    ['a /proc file that reports no size', () => ['/proc/self/status'], /\/proc\/self\/status: document 1 is not a Kubernetes object \(no apiVersion and kind\)/],
    ['a YAML document without kind (a fragment)', () => {
      const file = path.join(caseDir(), 'fragment.yaml');
      fs.writeFileSync(file, 'spec:\n  instances: 3\n');
      return [file];
    }, /fragment\.yaml: document 1 is not a Kubernetes object \(no apiVersion and kind\)/],
  ])('%s', (label, make, message) => {
    // GIVEN the hostile input, WHEN validated, THEN exit 2 and one line
    expectOneLine(runCli(['validate', ...make()], { label }), 2, message);
  });

  const unreadable = canDropPrivileges || process.getuid?.() !== 0 ? test : test.skip;
  unreadable.each<[string, (dir: string) => string[], RegExp]>([
    ['an unreadable folder inside a scanned folder', dir => {
      fs.writeFileSync(path.join(dir, 'a.yaml'), VALID);
      fs.mkdirSync(path.join(dir, 'secret'));
      fs.writeFileSync(path.join(dir, 'secret', 'b.yaml'), VALID);
      fs.chmodSync(path.join(dir, 'secret'), 0o000);
      return [dir];
    }, /secret: cannot read the folder: permission denied\n$/],
    ['an unreadable file', dir => {
      fs.writeFileSync(path.join(dir, 'a.yaml'), VALID);
      fs.chmodSync(path.join(dir, 'a.yaml'), 0o000);
      return [path.join(dir, 'a.yaml')];
    }, /a\.yaml: cannot read: permission denied\n$/],
  ])('%s (run as an unprivileged user: root reads anything)', (label, make, message) => {
    const dir = caseDir();
    expectOneLine(runCli(['validate', ...make(dir)], { label, unprivileged: true }), 2, message);
  });

  test('a FIFO next to manifests but not named like one is never opened', () => {
    // GIVEN a folder with a valid file and a FIFO named pipe (no manifest extension)
    const dir = caseDir();
    fs.writeFileSync(path.join(dir, 'a.yaml'), VALID);
    fifo(path.join(dir, 'pipe'));
    // WHEN / THEN valid, and no hang
    expectFindings(runCli(['validate', dir], { label: 'fifo not named like a manifest' }), 0);
  });
});
