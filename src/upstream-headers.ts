import { App } from 'cdk8s';
import { writeUpstreamHeaders } from './private/upstream-header';

/**
 * Review headers for the synthesized files that hold upstream installs (`CnpgOperator`, `CertManager`,
 * `BarmanPlugin`): each such file opens with a comment naming every release it includes, with its version,
 * sha256 and URL, and how many of its objects are those documents unchanged, so a reviewer of a `dist/` diff reads
 * those lines instead of megabytes of upstream YAML. Files without installs are left as they are. Use:
 * `app.synth(); UpstreamHeaders.write(app);`.
 */
export class UpstreamHeaders {
  /**
   * Prepends the header to the files `app.synth()` wrote into `app.outdir` for each chart with upstream
   * installs. Call it right after `app.synth()`. A file that already opens with the header is left as it is,
   * so calling it twice changes nothing.
   *
   * Layouts: `YamlOutputType.FILE_PER_CHART` (the default; numbered files included),
   * `FOLDER_PER_CHART_FILE_PER_RESOURCE` (every file in the chart's folder) and `FILE_PER_APP` (one header
   * for the app's file); `FILE_PER_RESOURCE` names files by object, not by chart, and is refused.
   *
   * @param app the app, after `app.synth()`
   * @returns the files that received a header
   */
  public static write(app: App): string[] {
    return writeUpstreamHeaders(app, app.outdir);
  }

  private constructor() {}
}
