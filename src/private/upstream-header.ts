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

/**
 * The comment that opens a file holding upstream installs: each release with its version, digest and URL, and
 * how many objects of the file are something else (what a reviewer does have to read), so a diff of the upstream
 * part is skipped with confidence. Undefined for a chart without installs.
 */
export function upstreamHeader(chart: Chart): string | undefined {
  const inChart = (c: IConstruct) => Chart.of(c) === chart;
  const installs = chart.node.findAll().filter(c => INSTALL in c && inChart(c)).map(c => (c as unknown as Record<symbol, InstalledRelease>)[INSTALL]);
  if (!installs.length) return undefined;
  const objects = chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && inChart(c));
  // An upstream document changed by an escape hatch renders through the regular path: it is no longer verbatim.
  const verbatim = objects.filter(o => UpstreamObject.isUpstreamObject(o) && o.verbatim).length;
  const width = Math.max(...installs.map(i => `${i.release.component} ${i.release.version}`.length));
  return [
    '# cdk8s-cnpg: upstream installs, included document by document from these release files (sha256 checked at synth):',
    ...installs.map(i => `#   ${`${i.release.component} ${i.release.version}`.padEnd(width)}  sha256:${i.sha256}  ${i.release.url}`),
    `# ${verbatim} of the ${objects.length} objects below are those documents unchanged${verbatim === objects.length
      ? ': review the lines above, not the objects.' : `; the other ${objects.length - verbatim} are this app's own or patched: review them.`}`,
    '',
  ].join('\n');
}

/**
 * Prepends `upstreamHeader` to the files `app.synth()` wrote for each chart with installs, in `outdir`. Handles the
 * file-per-chart layout (`<chart>.k8s.yaml`) and folder-per-chart (`<chart>/*.k8s.yaml`); returns the files changed.
 */
export function writeUpstreamHeaders(app: App, outdir: string): string[] {
  const changed: string[] = [];
  const ext = app.outputFileExtension;
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
    for (const file of files) {
      fs.writeFileSync(file, header + fs.readFileSync(file, 'utf-8'));
      changed.push(file);
    }
  }
  return changed;
}
