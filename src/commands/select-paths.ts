// What `--path` and `--package` narrow a run to: guest paths resolved the way the guest itself
// resolves them (its symlinks followed inside its root: `/lib/x` of a merged-/usr guest is its
// `/usr/lib/x`), as the walk's selection.
import type { CommandLine } from '../cli/command-line.js';
import { fromByteString } from '../cli/argv-bytes.js';
import { findPackageFiles, formatPackageHint } from '../config/find-package-files.js';
import type { Guest } from '../config/resolve-guest.js';
import { concatBytes } from '../store/byte-text.js';
import { AT_FDCWD, O_DIRECTORY, O_RDONLY } from '../sys/constants.js';
import { closeFd, openAt } from '../sys/open-at.js';
import { selectEverything, selectPaths, type PathSelection, type SelectedPath } from '../walk/path-selection.js';
import { resolveInGuest } from '../walk/resolve-in-guest.js';
import type { RunEnvironment } from './traverse-guest.js';

const REASONS = { missing: 'no such file or directory', 'not-directory': 'a component is not a directory', loop: 'too many levels of symbolic links' } as const;

/**
 * Everything when neither option is given. A `--path` that does not exist in the guest is an error;
 * a directory means everything below it. Of a package's list only the files count (dpkg lists the
 * directories too), and a listed file the admin has removed since is passed over.
 */
export async function computeSelection(treeRoot: Buffer, cmd: CommandLine, guest: Guest | undefined, env: RunEnvironment): Promise<PathSelection | undefined> {
  if (cmd.paths.length === 0 && cmd.packages.length === 0) return selectEverything();
  const { out } = env;
  const wanted: Array<{ path: Buffer; fromPackage: boolean }> = cmd.paths.map((p) => ({ path: fromByteString(p), fromPackage: false }));
  if (cmd.packages.length > 0) {
    if (guest === undefined) {
      out.err("vhashify: '--package' needs a guest (its package database); with '--manually' name the files with '--path'\n");
      return undefined;
    }
    const found = await findPackageFiles(guest, cmd.packages.map(fromByteString));
    if (!found.ok) {
      out.err(found.message);
      if (env.hints) out.err(found.hint ?? formatPackageHint(guest));
      return undefined;
    }
    wanted.push(...found.paths.map((path) => ({ path, fromPackage: true })));
  }
  let rootFd: number;
  try {
    rootFd = openAt(AT_FDCWD, treeRoot, O_RDONLY | O_DIRECTORY);
  } catch {
    return selectPaths([]); // the traversal reports the root
  }
  try {
    const chosen: SelectedPath[] = [];
    for (const { path, fromPackage } of wanted) {
      const resolved = resolveInGuest(rootFd, path);
      if (!resolved.ok) {
        if (fromPackage) continue;
        out.err(concatBytes("vhashify: --path '", path, "': ", REASONS[resolved.reason], " in the guest (at '", resolved.at, "')\n"));
        return undefined;
      }
      if (fromPackage && resolved.isDirectory) continue;
      chosen.push({ path: resolved.path, subtree: resolved.isDirectory });
    }
    return selectPaths(chosen);
  } finally {
    closeFd(rootFd);
  }
}
