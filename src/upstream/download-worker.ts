/**
 * Downloads one URL to stdout, following up to 5 redirects; run as its own process by `locate.ts`, because
 * constructs are synchronous (as cdk8s Include does). Usage: `node download-worker.js <url>`.
 */
import * as http from 'http';
import * as https from 'https';

/** http only for a loopback mirror (tests, an air-gapped proxy on this machine); https everywhere else. */
const client = (url: string) => (/^http:\/\/(127\.0\.0\.1|\[::1\]|localhost)(:\d+)?\//.test(url) ? http : https);

function get(url: string, redirects: number): void {
  client(url).get(url, { timeout: 30_000 }, res => {
    const status = res.statusCode ?? 0;
    if (status >= 300 && status < 400 && res.headers.location && redirects < 5) {
      res.resume();
      get(new URL(res.headers.location, url).toString(), redirects + 1);
      return;
    }
    if (status !== 200) {
      process.stderr.write(`HTTP ${status}\n`);
      process.exit(1);
    }
    res.pipe(process.stdout);
  }).on('error', e => {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }).on('timeout', function (this: { destroy(e: Error): void }) {
    this.destroy(new Error('timeout'));
  });
}

if (require.main === module) get(process.argv[2], 0);
