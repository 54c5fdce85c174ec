// Misconfigurations upstream would obey to the user's harm, found before a real run touches
// anything (DESIGN: "Misconfigurations are refused, not obeyed"). Dry runs never come here: they
// keep upstream's output.
import type { ExcludeFileResult } from '../exclude/read-exclude-file.js';
import { formatErrno } from '../report/strerror.js';
import { concatBytes, toBytes } from '../store/byte-text.js';
import { findLayoutProblems, formatLayoutProblem } from '../store/layout-problems.js';

/** The lines that refuse a run; `hint`: our line after an upstream message, printed only where hints are (a terminal). */
export interface Refusal {
  message: Buffer;
  hint?: Buffer;
}

/**
 * IMPROVEMENT over QUIRK Q08: an exclude list that cannot be opened is refused (upstream silently
 * includes everything: under `immutable` that froze a guest's /etc/passwd). One that opens but
 * cannot be read keeps upstream's own `read()` message. `fix` says what to do (it differs per mode).
 */
export function refuseUnreadableExcludeList(excludes: ExcludeFileResult, path: string | Buffer, fix: string | Buffer): Refusal | undefined {
  if (excludes.error === undefined) return undefined;
  if (excludes.opened) {
    return {
      message: Buffer.from(`read(): ${formatErrno(excludes.error)}\n`),
      hint: concatBytes("The exclude list '", toBytes(path), "' must be a readable file.\n"),
    };
  }
  return {
    message: concatBytes("vhashify: exclude list '", toBytes(path), `' cannot be read (${formatErrno(excludes.error)}); nothing was changed.\n`, fix),
  };
}

/**
 * A hash dir that is its own storage root, or leads to one, is refused with the commands that fix
 * it (spec 5.5). `suggestedStore`: where a new store directory should go (e.g. `/vservers/.hash`).
 */
export function refuseLayoutProblems(hashDir: string, suggestedStore: string): Refusal | undefined {
  const problems = findLayoutProblems(hashDir);
  if (problems.length === 0) return undefined;
  return { message: Buffer.concat(problems.map((p) => formatLayoutProblem(p, suggestedStore))) };
}
