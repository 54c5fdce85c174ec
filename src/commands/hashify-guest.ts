// One guest in vserver mode, after its name was resolved (spec 1.6 step 6 from 6.3 on): exclude
// list and package config files, hash dir, store, traversal.
import type { CommandLine } from '../cli/command-line.js';
import { CONFFILES_FAILED_MESSAGE, findPackageConffiles } from '../config/find-package-conffiles.js';
import { findExcludeFile } from '../config/find-exclude-file.js';
import { findHashDir } from '../config/find-hash-dir.js';
import { findPkgmgmtSwitch } from '../config/find-pkgmgmt-switch.js';
import type { Installation } from '../config/installation.js';
import { computeBaseDir, type Guest } from '../config/resolve-guest.js';
import { quoteShellWord } from '../report/shell-quote.js';
import type { ExcludeRule } from '../exclude/exclude-rule.js';
import { createMatchList } from '../exclude/match-list.js';
import { readExcludeFile } from '../exclude/read-exclude-file.js';
import { formatErrno } from '../report/strerror.js';
import { formatInitializingLine } from '../report/upstream-lines.js';
import { concatBytes } from '../store/byte-text.js';
import { refuseLayoutProblems, refuseUnreadableExcludeList } from './refuse-misconfiguration.js';
import type { StoreSessions } from './store-session.js';
import { traverseGuest, type RunEnvironment, type RunResult } from './traverse-guest.js';

/** Hashifies one resolved guest, with its stores taken from `sessions` (shared by `--all`). */
export async function hashifyGuest(inst: Installation, guest: Guest, cmd: CommandLine, env: RunEnvironment, sessions: StoreSessions): Promise<RunResult> {
  const { out } = env;
  const fail = (text: string | Buffer, hint?: Buffer): RunResult => {
    out.err(text);
    if (hint !== undefined && env.hints) out.err(hint);
    return { exitCode: 1 };
  };
  if (cmd.verbosity >= 1) out.out(formatInitializingLine(guest.vdir, guest.name));

  const conffiles: ExcludeRule[] = [];
  if (findPkgmgmtSwitch(inst, guest).enabled) {
    if (cmd.verbosity >= 2) out.out('  Fetching configuration-file list from packagemanagement\n');
    // IMPROVEMENT over QUIRK Q14: read from the guest's package database, running or stopped; no vpkg.
    const found = await findPackageConffiles(guest);
    if (!found.ok) {
      out.err(found.message);
      return fail(CONFFILES_FAILED_MESSAGE, found.hint);
    }
    conffiles.push(...found.rules);
  }

  if (cmd.verbosity >= 6) out.out('  Reading exclude file\n');
  const excludeChoice = findExcludeFile(inst, guest);
  const excludes = readExcludeFile(excludeChoice.path);
  if (excludes.opened && excludes.error !== undefined) return fail(`read(): ${formatErrno(excludes.error)}\n`);
  if (!excludes.opened && excludes.error !== undefined) {
    if (!cmd.dryRun) {
      // The chain ended at a packaged default that is missing: refused before anything is touched.
      const refused = refuseUnreadableExcludeList(excludes, excludeChoice.path, concatBytes(
        'Restore the packaged default list (util-vserver ships it; so does this package, as compat/vunify-exclude), or give the guests a list of their own in ',
        quoteShellWord(concatBytes(inst.confDir, '/.defaults/apps/vunify/exclude')), '.\n',
      ));
      if (refused !== undefined) return fail(refused.message, refused.hint);
    }
    // QUIRK Q08 (dry runs): upstream silently includes everything.
    if (env.hints) out.err(concatBytes("vhashify: exclude list '", excludeChoice.path, `' could not be opened (${formatErrno(excludes.error)}); nothing is excluded\n`));
  }

  const hashDir = findHashDir(inst, guest, cmd.destination, computeBaseDir({ cwd: env.cwd, env: env.vars ?? {} }));
  if (hashDir === undefined) {
    return fail('no hash-directory configured for this vserver.\n', concatBytes(
      'Give the guests a hash directory with one entry per file system, e.g.: mkdir -p ',
      quoteShellWord(concatBytes(inst.confDir, '/.defaults/apps/vunify/hash')), ' && ln -s ',
      quoteShellWord(concatBytes(inst.vserverDir, '/.hash')), ' ', quoteShellWord(concatBytes(inst.confDir, '/.defaults/apps/vunify/hash/root')), '\n',
    ));
  }
  const hashDirPath = hashDir.path.toString('utf8');
  const acquired = await sessions.acquire({
    hashDir: hashDirPath,
    printed: hashDir.printed,
    refuse: () => refuseLayoutProblems(hashDirPath, `${inst.vserverDir.toString('utf8')}/.hash`),
  });
  if (!acquired.ok) return { exitCode: acquired.exitCode };
  const { session } = acquired;
  return traverseGuest({
    guestRoot: guest.vdir,
    matchList: createMatchList([...conffiles, ...excludes.rules]),
    store: session.store,
    policy: session.policy,
    ...(session.lockSinceNs === undefined ? {} : { lockSinceNs: session.lockSinceNs }),
    rootHint: "Check the guest's vdir link.",
  }, cmd, env);
}
