import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Names, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { UpstreamRelease } from '../upstream/catalog';
import { UpstreamObject } from '../upstream/include';

const INSTALL = Symbol.for('cdk8s-cnpg.InstalledRelease');

interface InstalledRelease {
  readonly release: UpstreamRelease;
  readonly sha256: string;
}

/** Marks a construct as the install of an upstream release, for the header of the file it lands in. */
export function markInstall(scope: IConstruct, release: UpstreamRelease, sha256: string): void {
  Object.defineProperty(scope, INSTALL, { value: { release, sha256 } satisfies InstalledRelease });
}

/** The first line of every header: how `writeUpstreamHeaders` recognizes a file it already headed. */
const FIRST_LINE = '# cdk8s-cnpg: upstream installs, included document by document from these release files (sha256 checked at synth):';

/**
 * The comment that opens a file holding upstream installs: each release with its version, digest and URL, and
 * how many of the file's objects are something else (what a reviewer does have to read), so a diff of the upstream
 * part is skipped with confidence. Undefined for a chart without installs.
 */
export function upstreamHeader(chart: Chart): string | undefined {
  return headerOf([chart]);
}

/** The header of a file holding the objects of `charts`; undefined when they hold no install. */
function headerOf(charts: readonly Chart[]): string | undefined {
  const inCharts = (c: IConstruct) => charts.includes(Chart.of(c));
  const all = [...new Set(charts.flatMap(chart => chart.node.findAll()))].filter(inCharts);
  const installs = all.filter(c => INSTALL in c).map(c => (c as unknown as Record<symbol, InstalledRelease>)[INSTALL]);
  if (!installs.length) return undefined;
  const objects = all.filter((c): c is ApiObject => c instanceof ApiObject);
  // An upstream document changed by an escape hatch renders through the regular path: it is no longer verbatim.
  const verbatim = objects.filter(o => UpstreamObject.isUpstreamObject(o) && o.verbatim).length;
  const width = Math.max(...installs.map(i => `${i.release.component} ${i.release.version}`.length));
  return [
    FIRST_LINE,
    ...installs.map(i => `#   ${`${i.release.component} ${i.release.version}`.padEnd(width)}  sha256:${i.sha256}  ${i.release.url}`),
    `# ${verbatim} of the ${objects.length} objects below are those documents unchanged${verbatim === objects.length
      ? ': review the lines above, not the objects.' : `; the other ${objects.length - verbatim} are this app's own or patched: review them.`}`,
    '',
  ].join('\n');
}

/**
 * Prepends the header to the files `app.synth()` wrote for each chart with installs, in `outdir`. Handles the
 * file-per-chart layout (`<chart>.k8s.yaml`), folder-per-chart (`<chart>/*.k8s.yaml`) and file-per-app
 * (`app.k8s.yaml`); refuses file-per-resource (files named by object). A file that already opens with a header is
 * left as it is. Returns the files changed.
 */
export function writeUpstreamHeaders(app: App, outdir: string): string[] {
  const ext = app.outputFileExtension;
  const targets: Array<{ header: string; files: string[] }> = [];
  if (app.yamlOutputType === YamlOutputType.FILE_PER_APP) {
    const header = headerOf(app.charts);
    if (header) targets.push({ header, files: [path.join(outdir, `app${ext}`)].filter(f => fs.existsSync(f)) });
  } else if (app.yamlOutputType === YamlOutputType.FILE_PER_RESOURCE) {
    if (app.charts.some(c => upstreamHeader(c) !== undefined)) {
      throw new Error('upstream headers: YamlOutputType.FILE_PER_RESOURCE names files by object, not by chart; use FOLDER_PER_CHART_FILE_PER_RESOURCE (a folder per chart, a file per object) or FILE_PER_CHART');
    }
  } else {
    for (const chart of app.charts) {
      const header = upstreamHeader(chart);
      if (!header) continue;
      const name = Names.toDnsLabel(chart);
      let files: string[] = [];
      if (app.yamlOutputType === YamlOutputType.FILE_PER_CHART) {
        // cdk8s numbers the files (`0000-<chart>`) when charts depend on each other.
        files = fs.readdirSync(outdir).filter(f => f === `${name}${ext}` || new RegExp(`^\\d{4}-${name}${ext.replace(/\./g, '\\.')}$`).test(f))
          .map(f => path.join(outdir, f));
      } else if (app.yamlOutputType === YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE) {
        const dir = fs.readdirSync(outdir).find(f => f === name || new RegExp(`^\\d{4}-${name}$`).test(f));
        files = dir ? fs.readdirSync(path.join(outdir, dir)).filter(f => f.endsWith(ext)).sort().map(f => path.join(outdir, dir, f)) : [];
      }
      targets.push({ header, files });
    }
  }
  const changed: string[] = [];
  for (const { header, files } of targets) {
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf-8');
      if (text.startsWith(`${FIRST_LINE}\n`)) continue;
      fs.writeFileSync(file, header + text);
      changed.push(file);
    }
  }
  return changed;
}
