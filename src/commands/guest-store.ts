// The store of a guest, for the modes that act on its store entries (--unhashify, --unshared,
// --clone): the hash dir found as a hashify run finds it (spec 5.1), then its session.
import type { CommandLine } from '../cli/command-line.js';
import { findHashDir } from '../config/find-hash-dir.js';
import type { Installation } from '../config/installation.js';
import { computeBaseDir, type Guest } from '../config/resolve-guest.js';
import { quoteShellWord } from '../report/shell-quote.js';
import { concatBytes } from '../store/byte-text.js';
import { refuseLayoutProblems } from './refuse-misconfiguration.js';
import type { StoreSessionOutcome, StoreSessions } from './store-session.js';
import type { RunEnvironment } from './traverse-guest.js';

/** The guest's store session (policy decided and proved, lock held in a real run), or the exit status. */
export async function acquireGuestStore(
  inst: Installation,
  guest: Pick<Guest, 'appdir' | 'printed'>,
  cmd: CommandLine,
  env: RunEnvironment,
  sessions: StoreSessions,
): Promise<StoreSessionOutcome> {
  const hashDir = findHashDir(inst, guest, cmd.destination, computeBaseDir({ cwd: env.cwd, env: env.vars ?? {} }));
  if (hashDir === undefined) {
    env.out.err('no hash-directory configured for this vserver.\n');
    if (env.hints) {
      env.out.err(concatBytes('Give the guests a hash directory, e.g.: mkdir -p ', quoteShellWord(concatBytes(inst.confDir, '/.defaults/apps/vunify/hash')), '\n'));
    }
    return { ok: false, exitCode: 1 };
  }
  const path = hashDir.path.toString('utf8');
  return sessions.acquire({
    hashDir: path,
    printed: hashDir.printed,
    refuse: () => refuseLayoutProblems(path, `${inst.vserverDir.toString('utf8')}/.hash`),
  });
}
