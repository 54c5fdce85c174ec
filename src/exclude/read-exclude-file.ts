// Reading the one exclude file a run uses (spec 3.1), with upstream's silence about missing files.

import { closeSync, openSync, readFileSync } from 'node:fs';
import type { ExcludeRule } from './exclude-rule.js';
import { parseExcludeList } from './parse-exclude-list.js';

/** The rules of an exclude file, whether it could be opened, and why not (or why reading failed). */
export interface ExcludeFileResult {
  rules: ExcludeRule[];
  opened: boolean;
  error?: NodeJS.ErrnoException;
}

/** Read and parse an exclude file; the empty path means "no list" (manual mode's `''`). */
export function readExcludeFile(path: string | Buffer): ExcludeFileResult {
  if (path.length === 0) return { rules: [], opened: false };
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    // QUIRK Q08: an unopenable file is an empty list (everything included) and upstream says
    // nothing; `error` is returned so the caller can decide whether to mention it.
    return { rules: [], opened: false, error: error as NodeJS.ErrnoException };
  }
  try {
    const data = readFileSync(fd);
    return { rules: parseExcludeList(data, formatSource(path)), opened: true };
  } catch (error) {
    // Opened but unreadable (a directory, an I/O error): upstream's read wrapper aborts the run
    // with exit 1 here, so the caller should treat this as fatal.
    return { rules: [], opened: true, error: error as NodeJS.ErrnoException };
  } finally {
    closeSync(fd);
  }
}

// The source name is only ever displayed, so undecodable bytes may become U+FFFD.
function formatSource(path: string | Buffer): string {
  return typeof path === 'string' ? path : path.toString('utf8');
}
