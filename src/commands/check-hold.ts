// `--check` of a guest's hold (`--unshared` places it): a hold whose process is gone was left by a
// crash and keeps the guest out of every daily run until someone removes it, so it is a finding;
// a live hold only says why `--all` skips the guest now.
import { formatHold, holdPath, readHold } from '../config/guest-hold.js';
import type { Guest } from '../config/resolve-guest.js';
import type { CheckReport } from '../report/check-report.js';
import { quoteShellWord } from '../report/shell-quote.js';
import { concatBytes } from '../store/byte-text.js';

/** Adds what the guest's hold means to `report` (nothing when it has none). */
export function checkHold(guest: Guest, label: Buffer, report: CheckReport): void {
  const hold = readHold(guest.cfgdir);
  if (hold === undefined) return;
  const path = holdPath(guest.cfgdir);
  if (hold.stale === true) {
    report.finding(label, `has a hold left by a run that did not finish (${formatHold(hold)}): --all and the daily job skip the guest`,
      concatBytes('once nothing changes the guest any more: rm ', quoteShellWord(path), ' && vserver ', quoteShellWord(guest.name), ' hashify'));
    return;
  }
  const where = hold.stale === undefined ? ' (placed on another host: whether it still runs cannot be seen from here)' : '';
  report.note(label, `is held (${formatHold(hold)})${where}: --all and the daily job skip the guest until the command ends`);
}
