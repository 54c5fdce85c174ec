// Before a run that lifts flags starts: entries whose immutable flag a crashed run left lifted (its
// journal names them) get it back, as a hashify run does first thing (traverse-guest.ts).
import type { Output } from '../report/output.js';
import type { ProtectionJournal } from '../store/protection-journal.js';
import { lstatAtIfExists } from '../sys/file-stat.js';
import { lockEntry } from '../unify/immutable-protection.js';

/** A storage root with its journal, as the repair needs it. */
export interface RepairableRoot {
  fd: number;
  path: string;
  journal?: ProtectionJournal;
}

/** Puts every journaled flag back; false (with a line per entry) when one cannot be set: stop. */
export function repairJournaledFlags(roots: readonly RepairableRoot[], out: Output): boolean {
  let ok = true;
  for (const r of roots) {
    for (const name of r.journal?.readPending() ?? []) {
      if (lstatAtIfExists(r.fd, name) === undefined) continue; // gone: nothing left to protect
      const problem = lockEntry({ dirFd: r.fd, name });
      if (problem === undefined) continue;
      ok = false;
      out.err(`vhashify: store entry '${r.path}${name.toString('latin1')}' still lacks the immutable flag, and it cannot be set (${problem})\n`);
    }
  }
  return ok;
}
