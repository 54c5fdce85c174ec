// The entries of a match list, as parsed from an exclude file or from package-manager conffiles.

/** What a matching entry decides: hashify the path, or leave it alone (`-` and `~` act alike here). */
export type RuleKind = 'include' | 'exclude' | 'skip';

/** One match-list entry, with where it came from so `explain` can name the file and line. */
export interface ExcludeRule {
  kind: RuleKind;
  /** The pattern bytes, prefix removed; matched with fnmatch unless `literal` is set. */
  pattern: Buffer;
  /** The file (or command) the entry was read from, for display. */
  source: string;
  /** 1-based line number in `source`. */
  line: number;
  /** Conffile entries: compared by exact byte equality, never as a glob (spec 4.4). */
  literal?: boolean;
}
