/** Test helpers: an s3rver on 127.0.0.1 (test/roundtrip/lab/s3-server.ts) and uploads to it. */
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import * as aws4 from 'aws4';
import { S3RVER_CREDENTIALS, S3Server } from '../roundtrip/lab/s3-server';

export { S3RVER_CREDENTIALS };

/** Starts s3rver with the given buckets in a fresh folder. */
export async function startS3(buckets: string[]): Promise<{ server: S3Server; dir: string; stop: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnpg-s3-'));
  const server = await S3Server.start(path.join(dir, 'data'), buckets);
  return { server, dir, stop: async () => { await server.stop(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

/** Uploads one object with a signed PUT. */
export function putObject(endpointUrl: string, bucket: string, key: string, body: Buffer): Promise<void> {
  const url = new URL(`${endpointUrl}/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`);
  const signed = aws4.sign({ host: url.host, path: url.pathname, method: 'PUT', service: 's3', region: 'us-east-1', body, headers: { 'content-length': String(body.length) } }, S3RVER_CREDENTIALS);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'PUT', headers: signed.headers as http.OutgoingHttpHeaders }, res => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`PUT ${key}: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The environment an S3 client needs for s3rver (and no profile files). */
export const S3_ENV = { AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey, HOME: '/nonexistent' };
