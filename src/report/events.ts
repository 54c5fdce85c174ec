// What a run reports, as data; printing is the formatters' job.

/** Upstream's skip reasons, spelled exactly as printed in parentheses. */
export type SkipReason =
  | 'dotfile'
  | 'excluded'
  | 'too small'
  | 'operation not supported'
  | 'fstat error'
  | 'symlink'
  | 'already unified'
  | 'non regular file'
  | 'no matching device'
  | 'general error'
  /** Ours (IMPROVEMENT over QUIRK Q28): extended attributes other than the SELinux label keep a file private. */
  | 'extended attributes';

/** One thing that happened to one directory entry, in traversal order. */
export type EntryEvent =
  | { kind: 'skip'; path: Buffer; reason: SkipReason; isDotfile: boolean; isSymlink: boolean }
  | { kind: 'unifying'; path: Buffer; entryPath: string };
