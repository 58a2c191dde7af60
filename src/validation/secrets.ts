/**
 * Plaintext credentials in the set. YAML that reaches git must carry references to Secrets, never their values:
 * base64 in a Secret's `data` is an encoding, not encryption. Checked, for every object the user wrote (upstream
 * installs are trusted):
 *
 * - a Secret with values in `data` or `stringData`: `plaintextSecrets` severity when a CNPG or plugin object of
 *   the set references it (an error at synth), a warning otherwise;
 * - a URL anywhere with a password in its userinfo (`https://AK:SK@host`) or a credential in its query
 *   (`?X-Amz-Signature=`, `?sig=`, `?token=`);
 * - strings shaped like well-known tokens (AWS access key ids, private keys, GitHub, GitLab, Slack, Google and
 *   Stripe keys, Azure storage keys);
 * - `env` entries with a literal `value` whose name says credential (`*PASSWORD*`, `*SECRET*`, `*TOKEN*`,
 *   `*ACCESS_KEY*`, `*API_KEY*`, `*PRIVATE_KEY*`, `*CREDENTIAL*`).
 *
 * An object annotated `cdk8s-cnpg.io/unsafe-plaintext` (what `AppCredentials.unsafePlaintext()` writes; add it by
 * escape hatch to accept a value knowingly) is exempt. Values are never echoed: messages name the field only.
 */
import { CNPG_GROUP, Entry, isObj, Obj, PLUGIN_GROUP, ValidationContext } from './context';
import { joinPath, Severity, show } from './finding';

/** The annotation that marks an object as knowingly carrying plaintext credentials. */
export const UNSAFE_PLAINTEXT_ANNOTATION = 'cdk8s-cnpg.io/unsafe-plaintext';

/** Well-known credential shapes ([secretlint preset-recommend] rules cover the same families). */
const TOKEN_SHAPES: ReadonlyArray<[RegExp, string]> = [
  [/\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/-----BEGIN (?:[A-Z]+ )?PRIVATE KEY(?: BLOCK)?-----/, 'a private key'],
  [/\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{22,}\b/, 'a GitHub token'],
  [/\bglpat-[A-Za-z0-9_-]{20,}\b/, 'a GitLab token'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}\b/, 'a Slack token'],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, 'a Google API key'],
  [/\b[sr]k_live_[0-9A-Za-z]{20,}\b/, 'a Stripe secret key'],
  [/\bAccountKey=[A-Za-z0-9+/]{40,}={0,2}/, 'an Azure storage account key'],
  [/"private_key"\s*:\s*"-----BEGIN/, 'a Google service account key'],
];

/** URL query parameters that carry credentials (S3 presigned URLs, Azure SAS, generic tokens). */
const CREDENTIAL_QUERY = /^(?:x-amz-(?:signature|credential|security-token)|x-goog-(?:signature|credential)|sig|signature|token|access_token|auth|api_?key|apikey|key|password|passwd|pwd|secret|client_secret)$/i;

/** Env names that say the value is a credential. */
const CREDENTIAL_ENV = /PASSWORD|PASSWD|SECRET|TOKEN|ACCESS_KEY|API_KEY|APIKEY|PRIVATE_KEY|CREDENTIAL/i;

/** A fragment every token shape contains: most strings of a manifest have none, and are passed over in one test. */
const TOKEN_HINT = /AKIA|ASIA|ABIA|ACCA|PRIVATE KEY|"private_key"|gh[pousr]_|github_pat_|glpat-|xox[abposr]-|AIza|k_live_|AccountKey=/;

/** What is wrong with one string, or undefined. The value itself is never part of the answer. */
function credentialIn(value: string): string | undefined {
  // Every token shape is 20 characters or more; a URL with a password is longer than `a://b:c@d`.
  if (value.length >= 20 && TOKEN_HINT.test(value)) {
    for (const [shape, what] of TOKEN_SHAPES) if (shape.test(value)) return `holds what looks like ${what}`;
  }
  // A password in a URL comes before an `@`, a credential in its query after a `?`: without either, nothing to parse.
  if (value.length < 9 || !value.includes('://') || !(value.includes('@') || value.includes('?'))) return undefined;
  for (const m of value.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi)) {
    let url: URL;
    try {
      url = new URL(m[0]);
    } catch {
      continue;
    }
    if (url.password) return `holds a URL with a password in it (${url.protocol}//…:…@${url.host})`;
    const param = [...url.searchParams.entries()].find(([k, v]) => CREDENTIAL_QUERY.test(k) && v !== '');
    if (param) return `holds a URL with a credential in its query (${show(param[0])} at ${url.protocol}//${url.host})`;
  }
  return undefined;
}

/** A reference (`$(VAR)`, `${VAR}`) or an empty value is not a credential. */
function isLiteral(value: string): boolean {
  return value.trim() !== '' && !/^\$[({][A-Za-z_][A-Za-z0-9_]*[)}]$/.test(value.trim());
}

/** A key that names a Secret object: `secret`, `*Secret`, `*SecretKeyRef`, `*SecretRef` (any case). */
const SECRET_KEY = /secret(?:KeyRef|Ref)?$/i;

function isUnsafeAccepted(e: Entry): boolean {
  const annotations = isObj(e.doc.metadata) ? e.doc.metadata.annotations : undefined;
  return isObj(annotations) && UNSAFE_PLAINTEXT_ANNOTATION in annotations;
}

const ACCEPT = `or, to accept it knowingly, annotate the object ${UNSAFE_PLAINTEXT_ANNOTATION}: "<why>" and never commit the output`;

function checkSecretValues(ctx: ValidationContext, severity: Severity, e: Entry, referrers: ReadonlyMap<string, Entry>): void {
  const keys = ['data', 'stringData'].flatMap(field => {
    const values = e.doc[field];
    return isObj(values) ? Object.entries(values).filter(([, v]) => typeof v === 'string' && v !== '').map(([k]) => `${field}.${k}`) : [];
  });
  if (!keys.length) return;
  const referrer = referrers.get(`${e.namespace}/${e.name}`);
  const shown = keys.slice(0, 3).map(k => show(k)).join(', ') + (keys.length > 3 ? ` and ${keys.length - 3} more` : '');
  const message = `carries values in plain text (${shown})${referrer ? `, and ${referrer.kind} ${show(referrer.name)} uses it` : ''}: base64 is an encoding, not encryption`;
  const fix = `create the Secret outside the YAML (kubectl create secret, Sealed Secrets, External Secrets) and keep only the reference; ${ACCEPT}`;
  ctx.report(e, referrer ? severity : 'warning', keys[0].split('.')[0], message, fix);
}

/**
 * Every string of an object, visited once; keys of `data` in Secrets are left to `checkSecretValues`. The path of
 * a node is kept as its segments and joined only for a finding. With `names`, the same walk collects the Secrets
 * the object's `spec` references: `secret`, `*Secret`, `secretKeyRef`, `{ name, key }`. An object annotated
 * `unsafe-plaintext` is walked only for those names (`reportFindings` false).
 */
function checkStrings(ctx: ValidationContext, severity: Severity, e: Entry, names?: Set<string>, reportFindings = true): void {
  const reported = new Set<string>();
  const segments: (string | number)[] = [];
  const report = (path: string, problem: string, fix: string) => {
    if (!reportFindings || reported.size >= 5 || reported.has(path)) return;
    reported.add(path);
    ctx.report(e, severity, path, problem, fix);
  };
  const pathOf = (...more: string[]): string => [...segments, ...more].reduce<string>((p, s) => joinPath(p, s), '');
  const visit = (node: unknown, inEnv: boolean, key: string | undefined, collect: boolean): void => {
    if (segments.length > 101) return;
    if (typeof node === 'string') {
      // `serverTLSSecret: "name"`, `secretName: "name"`
      if (collect && key && (key.endsWith('Secret') || key === 'secretName')) names!.add(node);
      const problem = node.length <= 1024 * 1024 ? credentialIn(node) : undefined;
      if (problem) report(pathOf(), problem, `reference a Secret instead (for an endpoint: credentials in the object store's s3Credentials/azureCredentials); ${ACCEPT}`);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        segments.push(i);
        visit(node[i], false, undefined, collect);
        segments.pop();
      }
      return;
    }
    const o = node as Obj;
    if (collect && typeof o.name === 'string' && o.name) {
      if (key && SECRET_KEY.test(key)) names!.add(o.name);
      if (typeof o.key === 'string' && Object.keys(o).every(k => k === 'name' || k === 'key' || k === 'optional')) names!.add(o.name);
    }
    if (inEnv && typeof o.name === 'string' && typeof o.value === 'string' && CREDENTIAL_ENV.test(o.name) && isLiteral(o.value)) {
      report(pathOf('value'), `env ${show(o.name)} has a literal value: a credential in plain text`,
        `use valueFrom: { secretKeyRef: { name: "…", key: "…" } }; ${ACCEPT}`);
    }
    for (const k of Object.keys(o)) child(k, o[k], collect);
  };
  const child = (k: string, v: unknown, collect: boolean): void => {
    if (typeof v !== 'string' && (v === null || typeof v !== 'object')) return;
    segments.push(k);
    if (k === 'env' && Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        segments.push(i);
        visit(v[i], true, undefined, collect);
        segments.pop();
      }
    } else {
      visit(v, false, k, collect);
    }
    segments.pop();
  };
  for (const k of Object.keys(e.doc)) {
    if (e.kind === 'Secret' && e.group === '' && (k === 'data' || k === 'stringData')) continue;
    child(k, e.doc[k], names !== undefined && k === 'spec');
  }
}

/** Checks the set for plaintext credentials (see the file comment). */
export function checkPlaintextSecrets(ctx: ValidationContext): void {
  const severity = ctx.options.plaintextSecrets;
  if (severity === undefined) return;
  // One walk per object finds its plaintext strings and, for a CNPG or plugin object, the Secrets it references;
  // Secrets (never referrers) are checked after every referrer is known, so their message can name the first one.
  const referrers = new Map<string, Entry>();
  const secrets: Entry[] = [];
  // Referenced names matter only to the Secrets of the set: without any, none are collected.
  const collectNames = ctx.untrusted('Secret', '').length > 0;
  for (const e of ctx.entries) {
    if (e.trusted) continue;
    if (e.kind === 'Secret' && e.group === '') {
      secrets.push(e);
      continue;
    }
    const names = collectNames && (e.group === CNPG_GROUP || e.group === PLUGIN_GROUP) ? new Set<string>() : undefined;
    const accepted = isUnsafeAccepted(e);
    if (!accepted || names) checkStrings(ctx, severity, e, names, !accepted);
    if (!names) continue;
    for (const name of names) {
      const key = `${e.namespace}/${name}`;
      if (!referrers.has(key)) referrers.set(key, e);
    }
  }
  for (const e of secrets) {
    if (isUnsafeAccepted(e)) continue;
    checkSecretValues(ctx, severity, e, referrers);
    checkStrings(ctx, severity, e);
  }
}
