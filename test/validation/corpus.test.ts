/**
 * Conformance on YAML written outside this project: every file of ../shared/corpus (CNPG's samples, doc blocks and
 * e2e fixtures, the plugin's examples and docs, the charts' tests; see its README), read from there at test time,
 * validated at every CNPG+plugin pair of the matrix, against the verdicts of corpus-verdicts.yaml: a listed file
 * gets exactly its listed errors at each pair, every other file none. 0 false rejects, 0 misses.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Manifest } from '../../src/upstream/manifest';
import { Finding, validateManifests } from '../../src/validation';
import { parseYamlDocuments } from '../../src/validation/yaml-reader';

const UPSTREAM = process.env.CDK8S_CNPG_UPSTREAM_DIR ?? path.join(__dirname, '..', '..', '..', 'shared', 'upstream');
const CORPUS = path.join(UPSTREAM, '..', 'corpus');

interface Verdict {
  readonly object: string;
  readonly path: string;
  readonly rule: string;
  readonly cnpg?: readonly string[];
  readonly at?: readonly string[];
}

interface VerdictTable {
  readonly matrix: readonly string[];
  readonly rules: Readonly<Record<string, string>>;
  readonly files: Readonly<Record<string, readonly Verdict[]>>;
}

const table = parseYamlDocuments(fs.readFileSync(path.join(__dirname, 'corpus-verdicts.yaml'), 'utf-8'), 'corpus-verdicts.yaml')[0] as VerdictTable;
const corpusFiles = fs.existsSync(CORPUS) ? fs.readdirSync(CORPUS).filter(f => f.endsWith('.yaml')).sort() : [];

/** `Kind name: path`, the identity of an error across versions. */
const keyOf = (f: Finding): string => `${f.kind} ${f.name ?? '<unnamed>'}: ${f.path}`;

function expectedAt(file: string, pair: string): string[] {
  const cnpg = pair.split('+')[0];
  return (table.files[file] ?? [])
    .filter(v => (!v.cnpg || v.cnpg.includes(cnpg)) && (!v.at || v.at.includes(pair)))
    .map(v => `${v.object}: ${v.path}`)
    .sort();
}

function errorsAt(docs: readonly Manifest[], file: string, pair: string): Finding[] {
  const [cnpgVersion, pluginVersion] = pair.split('+');
  return validateManifests(docs.map(doc => ({ doc, source: file })), { cnpgVersion, pluginVersion, unresolvedReferences: 'warning' })
    .filter(f => f.severity === 'error');
}

describe('the verdict table', () => {
  test('the corpus is there, and every listed file is in it', () => {
    expect(corpusFiles.length).toBe(657);
    expect(Object.keys(table.files).filter(f => !corpusFiles.includes(f))).toEqual([]);
  });

  test('every verdict cites a rule with its upstream source, and names only versions of the matrix', () => {
    for (const verdicts of Object.values(table.files)) {
      for (const v of verdicts) {
        expect(table.rules[v.rule]).toEqual(expect.any(String));
        for (const pair of v.at ?? []) expect(table.matrix).toContain(pair);
        for (const cnpg of v.cnpg ?? []) expect(table.matrix.map(p => p.split('+')[0])).toContain(cnpg);
      }
    }
  });
});

const tally = { runs: 0, accepted: 0, rejected: 0 };

describe.each(corpusFiles)('%s', file => {
  test('gets exactly its verdicts at every version', () => {
    // GIVEN a file written outside this project, read as Kubernetes reads it
    const docs = parseYamlDocuments(fs.readFileSync(path.join(CORPUS, file), 'utf-8'), file)
      .filter((d): d is Manifest => typeof d === 'object' && d !== null && !Array.isArray(d));
    const wrong: string[] = [];
    for (const pair of table.matrix) {
      // WHEN validated at that CNPG+plugin pair
      const errors = errorsAt(docs, file, pair);
      const actual = [...new Set(errors.map(keyOf))].sort();
      const expected = expectedAt(file, pair);
      tally.runs++;
      if (actual.length) tally.rejected++;
      else tally.accepted++;
      // THEN no error the table does not expect (false reject), none missing that it expects (miss)
      for (const e of errors.filter(x => !expected.includes(keyOf(x)))) wrong.push(`false reject at ${pair}: ${keyOf(e)}: ${e.message}`);
      for (const k of expected.filter(x => !actual.includes(x))) wrong.push(`miss at ${pair}: ${k}`);
    }
    expect(wrong).toEqual([]);
  });
});

afterAll(() => {
  if (tally.runs) {
    process.stdout.write(`corpus: ${corpusFiles.length} files x ${table.matrix.length} version pairs = ${tally.runs} runs; accepted ${tally.accepted}, rejected ${tally.rejected}\n`);
  }
});
