// Misconfigurations upstream would obey to the user's harm, found before a real run touches
// anything (DESIGN: "Misconfigurations are refused, not obeyed"). Dry runs never come here: they
// keep upstream's output.
import { formatErrno } from '../report/strerror.js';
import { concatBytes, toBytes } from '../store/byte-text.js';
import { findLayoutProblems, formatLayoutProblem } from '../store/layout-problems.js';
import { readExcludeFile, type ExcludeFileResult } from '../exclude/read-exclude-file.js';

/** What a real run is about to use. */
export interface RunPlanToCheck {
  /** The exclude list; the empty path means "no list" and is fine. */
  excludePath: string | Buffer;
  /** The line that says how to fix an exclude list that cannot be read (it differs per mode). */
  excludeFix: string;
  /** The hash dir, when one is known at this point. */
  hashDir?: string;
  /** Where a new store directory should go, for the fix commands (e.g. `/vservers/.hash`). */
  suggestedStore: string;
}

/** Go on (with the exclude list already read, so it is read once), or refuse with these lines. */
export type MisconfigurationVerdict =
  | { ok: true; excludes: ExcludeFileResult }
  /** `hint`: our line after an upstream message, printed only where hints are (a terminal). */
  | { ok: false; message: Buffer; hint?: Buffer };

/**
 * IMPROVEMENT over QUIRK Q08: a missing or unreadable exclude list is refused (upstream silently
 * includes everything: under `immutable` that froze a guest's /etc/passwd). And a hash dir that is
 * its own storage root, or leads to one, is refused with the commands that fix it (spec 5.5).
 */
export function refuseMisconfiguration(plan: RunPlanToCheck): MisconfigurationVerdict {
  const excludes = readExcludeFile(plan.excludePath);
  // Opened but unreadable (a directory): upstream stops here too, with its read() message.
  if (excludes.opened && excludes.error !== undefined) {
    return {
      ok: false,
      message: Buffer.from(`read(): ${formatErrno(excludes.error)}\n`),
      hint: concatBytes("The exclude list '", toBytes(plan.excludePath), "' must be a readable file.\n"),
    };
  }
  if (excludes.error !== undefined) {
    const path = toBytes(plan.excludePath);
    return {
      ok: false,
      message: concatBytes(
        "vhashify: exclude list '", path, `' cannot be read (${formatErrno(excludes.error)}); nothing was changed.\n`,
        plan.excludeFix,
      ),
    };
  }
  if (plan.hashDir !== undefined) {
    const problems = findLayoutProblems(plan.hashDir);
    if (problems.length > 0) return { ok: false, message: Buffer.concat(problems.map((p) => formatLayoutProblem(p, plan.suggestedStore))) };
  }
  return { ok: true, excludes };
}
