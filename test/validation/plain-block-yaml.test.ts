import * as fs from 'fs';
import * as path from 'path';
import { seededRandom } from './helpers';
import { readPlainBlockYaml } from '../../src/validation/plain-block-yaml';
import { parseYamlDocuments, readWithJsYaml } from '../../src/validation/yaml-reader';

const UPSTREAM = process.env.CDK8S_CNPG_UPSTREAM_DIR ?? path.join(__dirname, '..', '..', '..', 'shared', 'upstream');
const CORPUS = path.join(UPSTREAM, '..', 'corpus');
const LIMITS = { maxAliasExpansion: 10_000, maxDepth: 100, maxDocuments: 100_000 };

/** js-yaml's reading (the reader of record), or its one-line error. */
function recordReading(text: string, maxDepth = LIMITS.maxDepth): { docs?: string; error?: string } {
  try {
    return { docs: JSON.stringify(readWithJsYaml(text, 'in.yaml', { ...LIMITS, maxDepth })) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/**
 * The plain reader's answer held to js-yaml's: when it answers, js-yaml reads the text without error and gives the
 * same documents, keys in the same order. Returns whether it answered.
 */
function expectSameOrNone(text: string, maxDepth = LIMITS.maxDepth): boolean {
  const plain = readPlainBlockYaml(text, maxDepth);
  if (plain === undefined) return false;
  const record = recordReading(text, maxDepth);
  if (record.error !== undefined || JSON.stringify(plain) !== record.docs) {
    throw new Error(`the plain reader answered ${JSON.stringify(JSON.stringify(plain))} where js-yaml gives ${JSON.stringify(record)} for ${JSON.stringify(text)}`);
  }
  return true;
}

describe('readPlainBlockYaml', () => {
  test.each([
    ['a mapping of scalars', 'a: 1\nb: x\nc: "q"\nd: \'it\'\'s\'\n'],
    ['nested mappings and comments', '# head\na:\n  b: 1 # tail\n  # inside\n  c:\n    d: true\ne: ~\n'],
    ['a sequence at its key\'s indent', 'containers:\n- name: a\n  image: b\n- name: c\nafter: 1\n'],
    ['an indented sequence', 'a:\n  - 1\n  - -2\n  - 0x1F\n  - 0755\nb: []\nc: {}\n'],
    ['a sequence of sequences and nulls', '-\n  - a\n-\n- b:\n'],
    ['compact mappings with nested values', '- a:\n    b: 1\n  c:\n  - x\n  d: on\n- e: f\n'],
    ['YAML 1.1 words and numbers', 'a: yes\nb: Off\nc: 1_000\nd: 1e3\ne: .5\nf: 2025-12-27T20:43:00Z\ng: 12:30\nh: -x\ni: null\nj: NULL\n'],
    ['documents and separators', '# c\n---\na: 1\n---\n---\n# only a comment\n---\nb: 2\n'],
    ['no newline at the end', 'a:\n  b: c'],
    ['URLs, colons and hashes inside scalars', 'a: http://x:9000/#frag\nb: a,b[c]{d}\nc: x#y\nd:e: f\n'],
    ['blank lines between entries', 'a: 1\n\n\nb:\n\n  c: 2\n'],
  ])('reads %s exactly as js-yaml does', (_name, text) => {
    // GIVEN plain block YAML WHEN both readers read it THEN the plain reader answers, and answers as js-yaml does
    expect(expectSameOrNone(text)).toBe(true);
  });

  test.each([
    ['an alias', 'a: &x 1\nb: *x\n'],
    ['a merge key', 'a: {p: 1}\nb:\n  <<: {q: 1}\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a flow mapping', 'a: {b: 1}\n'],
    ['a block scalar', 'a: |\n  text\n'],
    ['a multi-line plain scalar', 'a: b\n  c\n'],
    ['a tab', 'a:\t1\n'],
    ['CRLF line ends', 'a: 1\r\nb: 2\r\n'],
    ['an escape', 'a: "x\\ny"\n'],
    ['a quoted key', '"a": 1\n'],
    ['a key that is a keyword', 'on: 1\n'],
    ['a key that is a number', '1: x\n'],
    ['a __proto__ key', '__proto__: x\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a directive', '%YAML 1.1\n---\na: 1\n'],
    ['a document end marker', 'a: 1\n...\n'],
    ['content after ---', '--- a: 1\n'],
    ['a special float', 'a: .inf\n'],
    ['a scalar document', 'hello\n'],
    ['a bad indent', 'a: 1\n  b: 2\n'],
    ['a value that holds ": "', 'a: b: c\n'],
    ['only a comment', '# nothing\n'],
    ['a BOM', '\uFEFFa: 1\n'],
    ['an emoji (a surrogate pair)', 'a: \u{1F600}\n'],
  ])('leaves %s to js-yaml', (_name, text) => {
    // GIVEN text outside the subset WHEN the plain reader reads it THEN it does not answer
    expect(readPlainBlockYaml(text, LIMITS.maxDepth)).toBeUndefined();
    // AND parseYamlDocuments still reads it as js-yaml does
    const record = recordReading(text);
    if (record.error) expect(() => parseYamlDocuments(text, 'in.yaml')).toThrow(record.error);
    else expect(JSON.stringify(parseYamlDocuments(text, 'in.yaml'))).toBe(record.docs);
  });

  test('nesting that js-yaml could refuse is left to it, at any bound', () => {
    // GIVEN mappings nested 30 deep
    const text = Array.from({ length: 30 }, (_, i) => `${' '.repeat(2 * i)}k${i}:\n`).join('') + `${' '.repeat(60)}leaf: 1\n`;
    // WHEN the bound is generous THEN the plain reader answers; WHEN it is tight THEN js-yaml decides (and refuses)
    expect(expectSameOrNone(text, 100)).toBe(true);
    for (const maxDepth of [10, 20, 30, 40, 60, 61, 62, 63, 64]) {
      const plain = readPlainBlockYaml(text, maxDepth);
      const record = recordReading(text, maxDepth);
      if (plain !== undefined) expect(JSON.stringify(plain)).toBe(record.docs);
      else expect(maxDepth).toBeLessThan(66);
    }
    expect(recordReading(text, 20).error).toMatch(/nesting deeper than 20 levels/);
    // AND a bound far above js-yaml's own still leaves deep nesting to it, never overflowing the stack
    const deeper = Array.from({ length: 200 }, (_, i) => `${' '.repeat(2 * i)}k${i}:\n`).join('');
    expect(readPlainBlockYaml(deeper, 100_000)).toBeUndefined();
  });

  const corpusFiles = fs.existsSync(CORPUS) ? fs.readdirSync(CORPUS).filter(f => f.endsWith('.yaml')).sort().map(f => path.join(CORPUS, f)) : [];
  const upstreamFiles = fs.existsSync(UPSTREAM) ? fs.readdirSync(UPSTREAM).flatMap(d => fs.statSync(path.join(UPSTREAM, d)).isDirectory()
    ? fs.readdirSync(path.join(UPSTREAM, d)).filter(f => f.endsWith('.yaml')).map(f => path.join(UPSTREAM, d, f)) : []) : [];

  test('answers as js-yaml does for every corpus file and upstream install it reads', () => {
    // GIVEN YAML written outside this project
    expect(corpusFiles.length).toBeGreaterThan(600);
    expect(upstreamFiles.length).toBeGreaterThan(5);
    // WHEN both readers read each file THEN the plain reader answers as js-yaml does, or leaves the file to it
    const answered = [...corpusFiles, ...upstreamFiles].filter(file => expectSameOrNone(fs.readFileSync(file, 'utf-8')));
    // AND it answers for most of them (otherwise it would be tested on nothing)
    expect(answered.length).toBeGreaterThan(corpusFiles.length / 3);
  });

  // Characters that change how YAML reads a line, and words that change what a scalar means.
  const SIGNIFICANT = [' ', '  ', '\n', ':', ': ', '-', '- ', '#', ' #', '"', '\'', '[', ']', '{', '}', '[]', '{}', '&a ', '*a', '!', '|', '>', '?', ',', '%', '@', '`',
    '~', 'y', 'on', 'no', '0', '07', '0x', '.', '.inf', '<<', '---', '...', '\\', '\t', 'null', '1e3', '_', '+', '__proto__',
    '\u00a0', 'é', '\r'];

  function mutate(text: string, next: () => number): string {
    const lines = text.split('\n');
    const at = Math.floor(next() * lines.length);
    const line = lines[at];
    const col = Math.floor(next() * (line.length + 1));
    const piece = SIGNIFICANT[Math.floor(next() * SIGNIFICANT.length)];
    switch (Math.floor(next() * 8)) {
      case 0: lines[at] = line.slice(0, col) + piece + line.slice(col); break; // insert
      case 1: lines[at] = line.slice(0, col) + piece + line.slice(col + 1); break; // replace one character
      case 2: lines[at] = line.slice(0, col) + line.slice(col + 1); break; // delete one character
      case 3: lines[at] = ' '.repeat(1 + Math.floor(next() * 3)) + line; break; // indent deeper
      case 4: lines[at] = line.replace(/^ {1,2}/, ''); break; // indent less
      case 5: lines.splice(at, 0, line); break; // duplicate the line
      case 6: lines.splice(at, 1); break; // drop the line
      default: lines[at] = line + piece; break; // append
    }
    return lines.join('\n');
  }

  test('answers as js-yaml does, or not at all, for 40 mutants of each corpus file', () => {
    // GIVEN seeded random edits of real files, one to three each, that touch what YAML reads
    const next = seededRandom(20261202);
    let answered = 0;
    let refusedByJsYaml = 0;
    for (const file of corpusFiles) {
      const text = fs.readFileSync(file, 'utf-8');
      for (let i = 0; i < 40; i++) {
        let mutant = text;
        const edits = 1 + Math.floor(next() * 3);
        for (let e = 0; e < edits; e++) mutant = mutate(mutant, next);
        // WHEN both readers read it THEN the plain reader agrees with js-yaml or leaves the text to it
        if (expectSameOrNone(mutant)) answered++;
        else if (recordReading(mutant).error) refusedByJsYaml++;
      }
    }
    // AND both kinds of mutant were many: answered ones, and broken ones that js-yaml refuses
    expect(answered).toBeGreaterThan(5_000);
    expect(refusedByJsYaml).toBeGreaterThan(2_000);
  });
});
