/**
 * A known bug of an upstream release that affects backups or restores, as the version classes report it
 * (`CnpgVersion.V1_28_0.advisories`). Synth prints each one the app's versions have as a warning.
 */
export interface VersionAdvisory {
  /** The upstream issue or pull request, e.g. `cloudnative-pg #10818`. */
  readonly id: string;
  /** Where to read about it. */
  readonly url: string;
  /** What goes wrong, in a user's words. */
  readonly summary: string;
  /** The releases that fix it (the first fixed patch of each line). */
  readonly fixedIn: string[];
}
