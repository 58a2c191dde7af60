import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { parseYamlDocuments as parseUpstream } from '../../src/upstream/manifest';
import { parseYamlDocuments, YamlInputError } from '../../src/validation/yaml-reader';

const CORPUS = path.join(process.env.CDK8S_CNPG_UPSTREAM_DIR ?? path.join(__dirname, '..', '..', '..', 'shared', 'upstream'), '..', 'corpus');

/**
 * The `yaml` package reading YAML 1.1 without the tags go-yaml v2 does not apply to untyped data (timestamps,
 * base-60 numbers): an independent reading to compare ours with.
 */
function oracle(text: string): unknown[] {
  return YAML.parseAllDocuments(text, {
    version: '1.1',
    merge: true,
    customTags: tags => tags.filter(t => typeof t === 'string' || (t.tag !== 'tag:yaml.org,2002:timestamp' && t.format !== 'TIME')),
  }).map(d => d.toJS() ?? null);
}

describe('parseYamlDocuments', () => {
  test.each([
    ['on/off are booleans (YAML 1.1)', 'a: on\nb: off\nc: On\nd: OFF', { a: true, b: false, c: true, d: false }],
    ['yes/no/y/n are booleans', 'a: yes\nb: No\nc: y\nd: N', { a: true, b: false, c: true, d: false }],
    ['quoted words stay strings', 'a: "on"\nb: \'no\'\nc: !!str yes', { a: 'on', b: 'no', c: 'yes' }],
    ['a leading zero is octal', 'mode: 0755', { mode: 493 }],
    ['hex, binary and underscores', 'a: 0x1F\nb: 0b101\nc: 1_000', { a: 31, b: 5, c: 1000 }],
    ['timestamps stay strings', 'at: 2025-12-27T20:43:00Z\nday: 2025-12-27', { at: '2025-12-27T20:43:00Z', day: '2025-12-27' }],
    ['base-60 numbers stay strings (not in go-yaml v2)', 'at: 12:30:00', { at: '12:30:00' }],
    ['a key that reads as a boolean becomes "true"', 'on: 1', { true: 1 }],
    ['merge keys, explicit keys win', 'base: &b {p: 1, q: 2}\nother:\n  <<: *b\n  q: 3', { base: { p: 1, q: 2 }, other: { p: 1, q: 3 } }],
    ['~ and empty are null', 'a: ~\nb:', { a: null, b: null }],
  ])('%s', (_name, text, expected) => {
    // GIVEN/WHEN the text is read
    const docs = parseYamlDocuments(text, 'in.yaml');
    // THEN it reads as Kubernetes reads it, and as the independent YAML 1.1 reading does
    expect(docs).toEqual([expected]);
    expect(docs).toEqual(oracle(text));
  });

  test('an aliased node is copied, so changing one place does not change the other', () => {
    // GIVEN a document where two places alias one mapping
    const [doc] = parseYamlDocuments('a: &x {b: 1}\nc: *x\n', 'in.yaml') as Array<Record<string, Record<string, number>>>;
    // WHEN one place changes
    doc.a.b = 2;
    // THEN the other keeps its value
    expect(doc.c.b).toBe(1);
  });

  test('empty documents are null, a comment-only text is one null document', () => {
    expect(parseYamlDocuments('---\n---\na: 1\n', 'in.yaml')).toEqual([null, { a: 1 }]);
    expect(parseYamlDocuments('', 'in.yaml')).toEqual([]);
  });

  const laughs = ['a: &a [x,x,x,x,x,x,x,x,x,x]', ...'bcdefg'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefg'[i]}`).join(',')}]`)].join('\n');

  test.each([
    ['fails when the YAML is malformed', 'a: [\n', /^in\.yaml: cannot parse: .* at line \d+, column \d+$/],
    ['fails when a key is duplicated', 'a: 1\na: 2\n', /^in\.yaml: cannot parse: duplicated mapping key at line 2, column 1$/],
    ['fails when aliases expand without bound', laughs, /^in\.yaml: document 1: aliases expand to \d+ more values than written \(limit 10000\)/],
    ['fails when nesting is too deep (flow)', '['.repeat(150) + ']'.repeat(150), /^in\.yaml: nesting deeper than 100 levels$/],
    ['fails when nesting is hostile', '['.repeat(200_000), /^in\.yaml: (nesting deeper than 100 levels|cannot parse: .*)$/],
    ['fails when a number is not JSON', 'a: .nan', /^in\.yaml: "\.nan" is not a JSON number; if it is text, quote it: "\.nan"$/],
  ])('%s', (_name, text, message) => {
    // GIVEN hostile or broken text WHEN it is read THEN one line says what is wrong, and the class says it is input
    let error: unknown;
    try {
      parseYamlDocuments(text, 'in.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(YamlInputError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  test('fails when a text has more documents than the limit', () => {
    expect(() => parseYamlDocuments('a: 1\n---\na: 2\n---\na: 3\n', 'in.yaml', { maxDocuments: 2 })).toThrow('in.yaml: more than 2 documents');
  });

  const corpusFiles = fs.existsSync(CORPUS) ? fs.readdirSync(CORPUS).filter(f => f.endsWith('.yaml')).sort() : [];

  test('reads every corpus file as the independent YAML 1.1 reading does', () => {
    // GIVEN YAML written outside this project
    expect(corpusFiles.length).toBeGreaterThan(600);
    const differing: string[] = [];
    for (const file of corpusFiles) {
      const text = fs.readFileSync(path.join(CORPUS, file), 'utf-8');
      // WHEN both read it THEN they agree
      if (JSON.stringify(parseYamlDocuments(text, file)) !== JSON.stringify(oracle(text))) differing.push(file);
    }
    expect(differing).toEqual([]);
  });
});

describe('upstream installs', () => {
  const upstreamDir = process.env.CDK8S_CNPG_UPSTREAM_DIR ?? path.join(__dirname, '..', '..', '..', 'shared', 'upstream');
  const files = fs.existsSync(upstreamDir)
    ? fs.readdirSync(upstreamDir).flatMap(d => fs.statSync(path.join(upstreamDir, d)).isDirectory()
      ? fs.readdirSync(path.join(upstreamDir, d)).filter(f => f.endsWith('.yaml')).map(f => path.join(upstreamDir, d, f)) : [])
    : [];

  // src/upstream/manifest.ts parses the digest-verified installs with js-yaml's core schema (upstream/ may not
  // import validation/); this pins that, for every install in the catalog, the result is Kubernetes' reading.
  test.each(files.map(f => [path.basename(f), f]))('%s reads the same as Kubernetes reads it', (_name, file) => {
    const text = fs.readFileSync(file, 'utf-8');
    const core = parseUpstream(text);
    expect(JSON.stringify(parseYamlDocuments(text, file).filter(d => d !== null))).toBe(JSON.stringify(core));
  });
});
