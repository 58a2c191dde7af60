/**
 * Read-only S3 access for an archive: ListObjectsV2 and GetObject, signed with AWS Signature V4 (`aws4`), over
 * Node's own HTTP client. AWS S3 uses virtual-hosted addresses in the bucket's region (a redirect to another
 * region is followed once); a custom endpoint (MinIO, Garage, Ceph RGW, R2, B2, …) uses path-style addresses,
 * as barman-cloud does with `--endpoint-url`. Every response is bounded.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as os from 'os';
import * as path from 'path';
import * as aws4 from 'aws4';

/** Static credentials (with a session token for temporary ones). */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** Where they came from, for messages (never the values). */
  readonly source: string;
}

/** Thrown when the archive cannot be read: network, permissions, missing bucket, limits. */
export class ArchiveReadError extends Error {}

/** An object in a listing. */
export interface ListedObject {
  readonly key: string;
  readonly size: number;
}

/** What an archive reader needs: list a prefix, read an object. */
export interface ObjectReader {
  list(prefix: string, maxKeys: number): Promise<ListedObject[]>;
  get(key: string, maxBytes: number): Promise<Buffer>;
  /** `s3://bucket/key`, for messages. */
  describe(key: string): string;
}

/** Parses `s3://bucket/path/`; other schemes are not supported yet. */
export function parseDestinationPath(destinationPath: string): { bucket: string; prefix: string } | string {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(destinationPath);
  if (!m) {
    if (/^gs:\/\//.test(destinationPath)) return 'Google Cloud Storage archives (gs://) are not supported yet; only S3 and S3-compatible stores';
    if (/^https?:\/\/.*(blob|dfs)\.core\.windows\.net/.test(destinationPath) || /^azure:/.test(destinationPath)) return 'Azure Blob Storage archives are not supported yet; only S3 and S3-compatible stores';
    return 'must be an S3 URL, "s3://<bucket>/<path>/"';
  }
  if (!/^[a-z0-9][a-z0-9.\-_]{1,254}$/i.test(m[1])) return `bucket ${JSON.stringify(m[1])} is not a bucket name`;
  return { bucket: m[1], prefix: m[2] };
}

/** Reads an INI file into sections; absent file → empty. Bounded to 1 MiB. */
function readIni(file: string): Record<string, Record<string, string>> {
  let text: string;
  try {
    if (fs.statSync(file).size > 1024 * 1024) return {};
    text = fs.readFileSync(file, 'utf-8');
  } catch {
    return {};
  }
  const out: Record<string, Record<string, string>> = {};
  let section: Record<string, string> | undefined;
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) continue;
    const s = /^\[\s*(.+?)\s*\]$/.exec(t);
    if (s) {
      section = out[s[1]] = out[s[1]] ?? {};
      continue;
    }
    const eq = t.indexOf('=');
    if (section && eq > 0) section[t.slice(0, eq).trim().toLowerCase()] = t.slice(eq + 1).trim();
  }
  return out;
}

/**
 * The usual AWS credentials, in the AWS CLI's order for static keys: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`
 * (+ `AWS_SESSION_TOKEN`), then the profile `AWS_PROFILE` (default `default`) in the shared credentials file
 * (`AWS_SHARED_CREDENTIALS_FILE`, `~/.aws/credentials`) and the config file (`AWS_CONFIG_FILE`, `~/.aws/config`).
 */
export function loadCredentials(env: NodeJS.ProcessEnv = process.env): AwsCredentials | string {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    return { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN || undefined, source: 'environment' };
  }
  const profile = env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE || 'default';
  const home = os.homedir();
  const credFile = env.AWS_SHARED_CREDENTIALS_FILE || path.join(home, '.aws', 'credentials');
  const confFile = env.AWS_CONFIG_FILE || path.join(home, '.aws', 'config');
  const sections = [readIni(credFile)[profile], readIni(confFile)[profile === 'default' ? 'default' : `profile ${profile}`]];
  for (const s of sections) {
    if (s?.aws_access_key_id && s.aws_secret_access_key) {
      return { accessKeyId: s.aws_access_key_id, secretAccessKey: s.aws_secret_access_key, sessionToken: s.aws_session_token, source: `profile ${JSON.stringify(profile)}` };
    }
  }
  return `no AWS credentials found (environment AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or static keys in profile ${JSON.stringify(profile)}); `
    + 'for SSO or role credentials run `eval "$(aws configure export-credentials --format env)"` first';
}

/** The region for AWS S3: `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, else us-east-1. */
export function loadRegion(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AWS_REGION) return env.AWS_REGION;
  if (env.AWS_DEFAULT_REGION) return env.AWS_DEFAULT_REGION;
  const profile = env.AWS_PROFILE || env.AWS_DEFAULT_PROFILE || 'default';
  const conf = readIni(env.AWS_CONFIG_FILE || path.join(os.homedir(), '.aws', 'config'));
  return conf[profile === 'default' ? 'default' : `profile ${profile}`]?.region ?? 'us-east-1';
}

/** Options for an S3 reader. */
export interface S3ReaderOptions {
  readonly bucket: string;
  readonly credentials: AwsCredentials;
  /** A custom endpoint URL (S3-compatible store): path-style addressing. */
  readonly endpointUrl?: string;
  readonly region: string;
  /** Extra CA certificates (PEM), e.g. from `AWS_CA_BUNDLE`. */
  readonly ca?: string;
  /** @default 30000 */
  readonly timeoutMs?: number;
  /**
   * Keys per listing request.
   * @default 1000
   */
  readonly pageSize?: number;
}

const encodeKey = (key: string) => key.split('/').map(p => encodeURIComponent(p).replace(/[!'()*]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/');

const xmlText = (s: string) => s.replace(/&(lt|gt|amp|quot|apos|#(\d+)|#x([0-9a-fA-F]+));/g, (_, name: string, dec?: string, hex?: string) =>
  dec ? String.fromCodePoint(Number(dec)) : hex ? String.fromCodePoint(parseInt(hex, 16)) : ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[name]);

interface HttpResult {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A reader for one bucket. */
export class S3Reader implements ObjectReader {
  private region: string;

  constructor(private readonly options: S3ReaderOptions) {
    this.region = options.region;
  }

  public describe(key: string): string {
    return `s3://${this.options.bucket}/${key}`;
  }

  public async list(prefix: string, maxKeys: number): Promise<ListedObject[]> {
    const out: ListedObject[] = [];
    let token: string | undefined;
    for (let page = 0; ; page++) {
      const query = new URLSearchParams({ 'list-type': '2', 'prefix': prefix, 'max-keys': String(this.options.pageSize ?? 1000), ...(token ? { 'continuation-token': token } : {}) });
      const body = (await this.request('', query, 8 * 1024 * 1024)).toString('utf-8');
      for (const m of body.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
        const key = /<Key>([\s\S]*?)<\/Key>/.exec(m[1]);
        const size = /<Size>(\d+)<\/Size>/.exec(m[1]);
        if (key) out.push({ key: xmlText(key[1]), size: size ? Number(size[1]) : 0 });
      }
      if (out.length > maxKeys) throw new ArchiveReadError(`${this.describe(prefix)} lists more than ${maxKeys} objects (the limit)`);
      const truncated = /<IsTruncated>true<\/IsTruncated>/.test(body);
      const next = /<NextContinuationToken>([\s\S]*?)<\/NextContinuationToken>/.exec(body);
      if (!truncated) return out;
      if (!next) throw new ArchiveReadError(`${this.describe(prefix)}: truncated listing without a continuation token`);
      token = xmlText(next[1]);
      if (page > maxKeys) throw new ArchiveReadError(`${this.describe(prefix)}: listing does not end`);
    }
  }

  public async get(key: string, maxBytes: number): Promise<Buffer> {
    return this.request(key, undefined, maxBytes);
  }

  private async request(key: string, query: URLSearchParams | undefined, maxBytes: number, attempt = 0): Promise<Buffer> {
    const { bucket, endpointUrl, credentials } = this.options;
    let url: URL;
    if (endpointUrl) {
      const base = new URL(endpointUrl);
      url = new URL(`${base.origin}${base.pathname.replace(/\/$/, '')}/${bucket}/${encodeKey(key)}`);
    } else {
      url = new URL(`https://${bucket}.s3.${this.region}.amazonaws.com/${encodeKey(key)}`);
    }
    if (query) url.search = query.toString().replace(/\+/g, '%20');
    const signed = aws4.sign({
      host: url.host,
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      service: 's3',
      region: this.region,
      headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    }, { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken });
    const where = this.describe(key);
    let res: HttpResult;
    try {
      res = await this.send(url, signed.headers as http.OutgoingHttpHeaders, maxBytes);
    } catch (e) {
      if (e instanceof ArchiveReadError) throw e;
      if (attempt < 2) return this.request(key, query, maxBytes, attempt + 1);
      throw new ArchiveReadError(`cannot reach ${url.origin} for ${where}: ${(e as Error).message}`);
    }
    if (res.status === 200) return res.body;
    const text = res.body.toString('utf-8');
    const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
    const bucketRegion = res.headers['x-amz-bucket-region'];
    if (!endpointUrl && (res.status === 301 || code === 'AuthorizationHeaderMalformed' || code === 'PermanentRedirect')
      && typeof bucketRegion === 'string' && bucketRegion !== this.region && attempt < 2) {
      this.region = bucketRegion;
      return this.request(key, query, maxBytes, attempt + 1);
    }
    if (res.status >= 500 && attempt < 2) return this.request(key, query, maxBytes, attempt + 1);
    const hint = code === 'NoSuchBucket' ? 'check the bucket in the destination path'
      : code === 'NoSuchKey' ? 'the object was listed but is gone; run again'
        : res.status === 403 ? `check the credentials (from ${credentials.source}) allow s3:ListBucket and s3:GetObject`
          : res.status === 301 ? 'the bucket is in another region: set AWS_REGION' : 'check the endpoint and bucket';
    throw new ArchiveReadError(`${where}: HTTP ${res.status}${code ? ` ${code}` : ''}; ${hint}`);
  }

  private send(url: URL, headers: http.OutgoingHttpHeaders, maxBytes: number): Promise<HttpResult> {
    const lib = url.protocol === 'http:' ? http : https;
    return new Promise((resolve, reject) => {
      const req = lib.request(url, { method: 'GET', headers, timeout: this.options.timeoutMs ?? 30_000, ...(this.options.ca ? { ca: this.options.ca } : {}) }, res => {
        const declared = Number(res.headers['content-length'] ?? 0);
        // Error bodies are small; a success body is capped at what the caller allows.
        const cap = res.statusCode === 200 ? maxBytes : 64 * 1024;
        if (declared > cap) {
          res.destroy();
          reject(new ArchiveReadError(`${url.pathname} is ${declared} bytes, over the ${cap}-byte limit`));
          return;
        }
        const chunks: Buffer[] = [];
        let total = 0;
        res.on('data', (c: Buffer) => {
          total += c.length;
          if (total > cap) {
            res.destroy();
            reject(new ArchiveReadError(`${url.pathname} is over the ${cap}-byte limit`));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks, total) }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', reject);
      req.end();
    });
  }
}
