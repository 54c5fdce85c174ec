// A Debian guest's configuration files, read from its dpkg database without running anything in
// it (IMPROVEMENT over QUIRK Q14: upstream's vpkg needs a running guest for this).
import type { ExcludeRule } from '../exclude/exclude-rule.js';
import type { ConffileLimits } from './conffile-limits.js';
import { GuestAccessError, type OpenGuestRoot } from './guest-files.js';
import { parseDpkgConffiles } from './parse-dpkg-conffiles.js';

const INFO_DIR = 'var/lib/dpkg/info';
const SUFFIX = Buffer.from('.conffiles');

/**
 * The entries of `<vdir>/var/lib/dpkg/info/*.conffiles`, files in byte order of their names (the
 * shell glob's order in the C locale; like the glob, names starting with `.` are left out). No
 * such file, or no such directory, is an empty list (upstream's `cat` would fail on an unmatched
 * glob; a guest without conffiles has nothing to protect). A symlink or a non-regular file where
 * the list is read, or a size beyond `limits`, throws a GuestAccessError naming the path.
 */
export function readDebianConffiles(vdir: Buffer, openRoot: OpenGuestRoot, limits: ConffileLimits): ExcludeRule[] {
  const root = openRoot(vdir);
  try {
    let info;
    try {
      info = root.openDir(INFO_DIR);
    } catch (error) {
      if (error instanceof GuestAccessError && error.code === 'missing') return [];
      throw error;
    }
    try {
      const names = info
        .listNames(limits.maxNames)
        .filter((name) => name[0] !== 0x2e && name.length > SUFFIX.length && name.subarray(name.length - SUFFIX.length).equals(SUFFIX))
        .sort(Buffer.compare);
      const rules: ExcludeRule[] = [];
      let total = 0;
      for (const name of names) {
        // A directory that happens to match the glob holds no list (cat fails on it, silently).
        if (info.lookup(name) === 'directory') continue;
        const data = info.readFile(name, limits.maxFileBytes);
        total += data.length;
        if (total > limits.maxTotalBytes) {
          throw new GuestAccessError('too-large', info.path, `its *.conffiles files hold more than ${limits.maxTotalBytes} bytes; refusing to read on`);
        }
        rules.push(...parseDpkgConffiles(data, `${info.path.toString()}/${name.toString()}`));
      }
      return rules;
    } finally {
      info.close();
    }
  } finally {
    root.close();
  }
}
