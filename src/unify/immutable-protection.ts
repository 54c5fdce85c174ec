// `immutable`: the ordinary immutable flag (chattr +i) on store entries, set in batches.
import type { Protection } from './protection.js';

const BATCH = 256;

/**
 * Entries are locked in batches of chattr calls (one process per BATCH files, never one per file).
 * A locked entry cannot get new links (the kernel refuses link() on immutable inodes), so an entry
 * that must be linked again is unlocked on EPERM, linked, and queued to be locked again.
 * Batches run synchronously, so a lock can never land between an unlock and the link it allows.
 */
export async function createImmutableProtection(chattr = 'chattr'): Promise<Protection> {
  // execa is loaded only when a policy spawns tools: plain runs and --version stay fast.
  const { execaSync } = await import('execa');
  const queued = new Set<string>();
  const failures: string[] = [];
  const lock = (): void => {
    const paths = [...queued];
    queued.clear();
    for (let i = 0; i < paths.length; i += BATCH) {
      const result = execaSync(chattr, ['+i', '--', ...paths.slice(i, i + BATCH)], { reject: false, stdin: 'ignore' });
      if (result.exitCode !== 0) failures.push(`chattr +i: ${String(result.stderr).trim() || `exit status ${result.exitCode}`}\n`);
    }
  };
  return {
    policy: 'immutable',
    query: () => 'linkable',
    beforeLink: () => undefined,
    unlock(entryPath) {
      queued.delete(entryPath);
      return execaSync(chattr, ['-i', '--', entryPath], { reject: false, stdin: 'ignore' }).exitCode === 0;
    },
    afterLink(entryPath) {
      queued.add(entryPath);
      if (queued.size >= BATCH) lock();
    },
    async finish() {
      lock();
      return failures;
    },
  };
}
