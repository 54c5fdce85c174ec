// The typed result of a command line that asks for a run; everything main() needs from argv.

/** Every protection policy, in the order help and error messages list them. */
export const protectPolicies = ['auto', 'vserver', 'immutable', 'none'] as const;

/** How shared inodes are protected (see DESIGN.md, "Kernel protection of shared inodes"). */
export type ProtectPolicy = (typeof protectPolicies)[number];

/** Whether a word (from `--protect` or a `protect` file) names a protection policy. */
export function isProtectPolicy(word: string): word is ProtectPolicy {
  return (protectPolicies as readonly string[]).includes(word);
}

/** A parsed command line. The start-up checks of spec 1.6 (positionals, `--destination`) are main()'s job. */
export interface CommandLine {
  manual: boolean;
  destination?: string;
  insecureLevel: 0 | 1 | 2;
  refresh: boolean;
  ignoreMtime: boolean;
  /** Fail at once instead of waiting when another run holds the store lock. */
  noWait: boolean;
  dryRun: boolean;
  verbosity: number;
  protect?: ProtectPolicy;
  /** Every configured guest that has apps/vunify, in one process (`--all`). */
  all: boolean;
  /** Report how far guests are hashified and what their stores hold (`--overview`). */
  overview: boolean;
  /** Remove what no guest links any more from the store (`--gc`). */
  gc: boolean;
  /** Re-hash store entries against their names (`--audit`). */
  audit: boolean;
  /** `--audit-sample N` as given: how many entries to re-hash (checked by the audit mode). */
  auditSample?: string;
  /** `--audit --fix`: move damaged entries out, giving each linking guest its own copy. */
  fix: boolean;
  /** Print the run's figures after upstream's lines (`--totals`). */
  totals: boolean;
  /** One JSON document on stdout instead of any text there: a run's figures, or the store modes' report (`--json`). */
  json: boolean;
  /** `--explain`: the guest path to explain, as a byte string (one character per byte, see argv-bytes.ts). */
  explain?: string;
  /** `--check`: report misconfigurations instead of running. */
  check: boolean;
  /** Give a guest's store entries back as private copies (`--unhashify`). */
  unhashify: boolean;
  /** Hold, unhashify, run a command, hashify again (`--unshared <guest> -- COMMAND…`). */
  unshared: boolean;
  /** A new guest or tree from a hashified one (`--clone SRC DEST`). */
  clone: boolean;
  /** `--path` values in the order given, as byte strings (one character per byte, see argv-bytes.ts). */
  paths: string[];
  /** `--package` values in the order given, as byte strings. */
  packages: string[];
  /** The arguments after the options, as the bytes given (guest names and paths are bytes). */
  positionals: Buffer[];
}
