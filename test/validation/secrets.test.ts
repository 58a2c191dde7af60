import { cluster, credentials, objectStore, scheduledBackup, secret, validate } from './helpers';
import { Manifest } from '../../src/upstream/manifest';
import { Finding } from '../../src/validation';

const AT_SYNTH = { plaintextSecrets: 'error' as const };
const secretFindings = (docs: Manifest[], options = AT_SYNTH): Finding[] =>
  validate(docs, options).filter(f => /plain text|password in it|credential in its query|looks like/.test(f.message));

const withEnv = (env: object[]) => cluster({ env });
const deployment = (env: object[]): Manifest => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'app', namespace: 'db' },
  spec: { template: { spec: { containers: [{ name: 'app', image: 'app:1', env }] } } },
});

describe('plaintext credentials', () => {
  test.each<[string, Manifest[], string, string | RegExp, 'error' | 'warning']>([
    ['a Secret that the ObjectStore uses carries values (stringData)', [credentials(), objectStore(), cluster()], 'stringData',
      'carries values in plain text ("stringData.ACCESS_KEY_ID", "stringData.ACCESS_SECRET_KEY"), and ObjectStore "store" uses it', 'error'],
    ['a Secret that initdb uses carries values (data)', [{ ...secret('app', {}), stringData: undefined, data: { username: 'YQ==', password: 'Yg==' } } as Manifest,
      cluster({ bootstrap: { initdb: { secret: { name: 'app' } } } })], 'data', /and Cluster "pg" uses it/, 'error'],
    ['a Secret that nothing of ours uses carries values (flagged, not failed)', [secret('other', { token: 'x' })], 'stringData', 'carries values in plain text ("stringData.token"): base64', 'warning'],
    ['an endpoint URL carries userinfo', [credentials({ unsafe: 'yes' }), objectStore({ endpointURL: 'https://AKIDEXAMPLE:wJalrXUtnFEMI@minio.lan:9000' }), cluster()],
      'spec.configuration.endpointURL', 'holds a URL with a password in it (https://…:…@minio.lan:9000)', 'error'],
    ['an endpoint URL carries a presigned-URL signature', [objectStore({ endpointURL: 'https://minio.lan/?X-Amz-Signature=abc123' }), cluster()],
      'spec.configuration.endpointURL', 'holds a URL with a credential in its query ("X-Amz-Signature" at https://minio.lan)', 'error'],
    ['a destination path carries an Azure SAS token', [objectStore({ destinationPath: 'https://acct.blob.core.windows.net/c?sv=2022&sig=abcdef' }), cluster()],
      'spec.configuration.destinationPath', '"sig"', 'error'],
    ['an AWS access key id sits in an annotation', [cluster({}, { annotations: { note: 'AKIAIOSFODNN7EXAMPLE' } })], 'metadata.annotations.note', 'looks like an AWS access key id', 'error'],
    ['a private key sits in a ConfigMap', [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'db' }, data: { key: '-----BEGIN RSA PRIVATE KEY-----\nMIIE' } }],
      'data.key', 'looks like a private key', 'error'],
    ['a GitHub token sits in a ScheduledBackup annotation', [cluster(), scheduledBackup({}, { annotations: { t: `ghp_${'a'.repeat(36)}` } })], 'metadata.annotations.t', 'GitHub token', 'error'],
    ['a Cluster env value names a password', [withEnv([{ name: 'PGPASSWORD', value: 'hunter2' }])], 'spec.env[0].value', 'env "PGPASSWORD" has a literal value', 'error'],
    ['a Deployment env value names an access key (escape-hatch env)', [deployment([{ name: 'AWS_SECRET_ACCESS_KEY', value: 'wJalr' }])],
      'spec.template.spec.containers[0].env[0].value', 'env "AWS_SECRET_ACCESS_KEY" has a literal value', 'error'],
  ])('fails when %s', (_, docs, path, message, severity) => {
    // WHEN validated as synth validates
    const findings = secretFindings(docs);
    // THEN
    const match = findings.find(f => f.path === path && (typeof message === 'string' ? f.message.includes(message) : message.test(f.message)));
    if (!match) throw new Error(`no finding at ${path}; got ${JSON.stringify(findings.map(f => `${f.path}: ${f.message}`))}`);
    expect(match.severity).toBe(severity);
  });

  test('a value is never echoed in a message', () => {
    // GIVEN a password in a URL and in an env value
    const docs = [objectStore({ endpointURL: 'https://user:Sup3rS3cret@minio.lan' }), withEnv([{ name: 'DB_PASSWORD', value: 'Sup3rS3cret' }])];
    // WHEN / THEN
    const text = secretFindings(docs).map(f => `${f.message} ${f.fix}`).join('\n');
    expect(text).toContain('password in it');
    expect(text).not.toContain('Sup3rS3cret');
    expect(text).not.toContain('user');
  });

  test.each<[string, Manifest[]]>([
    ['references through secretKeyRef and a plain endpoint', [withEnv([{ name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 's', key: 'p' } } }, { name: 'AWS_REQUEST_CHECKSUM_CALCULATION', value: 'when_required' }]),
      objectStore({ endpointURL: 'https://minio.lan:9000' })]],
    ['an env value that is a variable reference or empty', [withEnv([{ name: 'PGPASSWORD', value: '$(OTHER)' }, { name: 'TOKEN_FILE', value: '' }])]],
    ['a Secret without values (filled by an operator)', [secret('creds', {}), objectStore(), cluster()]],
    ['a user name without a password in a URL', [objectStore({ endpointURL: 'https://minio.lan:9000/?region=eu' }), cluster({}, { annotations: { repo: 'ssh://git@example.com/x.git' } })]],
    ['a Secret the user accepted knowingly', [secret('creds', { ACCESS_KEY_ID: 'a', ACCESS_SECRET_KEY: 'b' }, { annotations: { 'cdk8s-cnpg.io/unsafe-plaintext': 'dev only' } }), objectStore(), cluster()]],
  ])('passes %s', (_, docs) => {
    expect(secretFindings(docs)).toEqual([]);
  });

  test('the CLI severity turns every finding into a warning, and the check is off unless asked for', () => {
    // GIVEN
    const docs = [credentials(), objectStore({ endpointURL: 'https://a:b@minio.lan' }), cluster()];
    // WHEN / THEN
    expect(secretFindings(docs, { plaintextSecrets: 'warning' } as any).map(f => f.severity)).toEqual(['warning', 'warning']);
    expect(secretFindings(docs, {} as any)).toEqual([]);
  });
});
