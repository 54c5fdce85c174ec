// A hold on a guest: `<cfgdir>/apps/vunify/hold`, placed by `--unshared` while a command changes
// the guest. `--all` (and so the daily timer) skips a held guest and says so; a hold whose process
// is gone was left by a crash, and the next `--unshared` (and the reports) say that too.
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { concatBytes } from '../store/byte-text.js';

/** Who holds a guest, and since when. */
export interface GuestHold {
  pid: number;
  host: string;
  user: string;
  /** When the hold was placed (ISO 8601, UTC). */
  since: string;
  /** What the holder runs in the guest (`--unshared`'s command, as one line). */
  command: string;
  /** The holder's start time (field 22 of /proc/PID/stat) and boot: tell a reused pid apart. */
  started?: string;
  bootId?: string;
  /**
   * True when the holding process is gone (a crash or kill -9 left the hold); false when it runs;
   * undefined when it was placed on another host and cannot be checked from here.
   */
  stale: boolean | undefined;
}

/** The marker's place below a guest's configuration directory. */
export const HOLD_FILE = 'apps/vunify/hold';

/** The marker's path for the guest whose configuration directory is `cfgdir`. */
export function holdPath(cfgdir: Buffer): Buffer {
  return concatBytes(cfgdir, '/', HOLD_FILE);
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
}

function readStartTime(pid: number): string | undefined {
  const stat = readOptional(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // The command name (field 2) may hold spaces and parentheses: count fields after its last `)`.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

function readBootId(): string | undefined {
  return readOptional('/proc/sys/kernel/random/boot_id')?.trim();
}

/** Whether the process that placed a hold on this host still runs (same boot, same start time). */
function isHolderGone(hold: Omit<GuestHold, 'stale'>): boolean | undefined {
  if (hold.host !== hostname()) return undefined;
  if (hold.bootId !== undefined && hold.bootId !== readBootId()) return true;
  const started = readStartTime(hold.pid);
  if (started === undefined) return true;
  return hold.started !== undefined && hold.started !== started;
}

/** The guest's hold, or undefined when it has none (for `--all`, `--overview`, `--check`). */
export function readHold(cfgdir: Buffer): GuestHold | undefined {
  let text: string;
  try {
    text = readFileSync(holdPath(cfgdir), 'utf8');
  } catch {
    return undefined;
  }
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) fields.set(line.slice(0, at), line.slice(at + 1));
  }
  const base = {
    pid: Number(fields.get('pid') ?? '0'),
    host: fields.get('host') ?? '',
    user: fields.get('user') ?? '',
    since: fields.get('since') ?? '',
    command: fields.get('command') ?? '',
    ...(fields.get('started') ? { started: fields.get('started')! } : {}),
    ...(fields.get('boot') ? { bootId: fields.get('boot')! } : {}),
  };
  // A hold file that says nothing usable (written by hand, torn) is taken as left behind.
  const stale = Number.isInteger(base.pid) && base.pid > 0 ? isHolderGone(base) : true;
  return { ...base, stale };
}

/** The hold as one sentence part: `pid 123 on host (root) since 2026-…, for: vserver g1 exec …`. */
export function formatHold(hold: GuestHold): string {
  return `pid ${hold.pid} on ${hold.host || 'an unknown host'}${hold.user === '' ? '' : ` (${hold.user})`} since ${hold.since || 'an unknown time'}, for: ${hold.command}`;
}

/** The line `--all` prints for a guest it skips because of its hold. */
export function formatHoldNotice(name: Buffer, cfgdir: Buffer, hold: GuestHold): Buffer {
  if (hold.stale === true) {
    return concatBytes("vhashify: guest '", name, `' has a hold left by a run that did not finish (${formatHold(hold)}); skipped. Once nothing changes the guest any more, remove '`, holdPath(cfgdir), "' and hashify it\n");
  }
  return concatBytes("vhashify: guest '", name, `' is held (${formatHold(hold)}); skipped\n`);
}

/** Placed; or already held by a running process (nothing changed). `replaced`: a stale hold taken over. */
export type PlaceHoldOutcome = { ok: true; replaced?: GuestHold } | { ok: false; held: GuestHold };

/**
 * Places this process's hold on the guest: written under a temporary name, then linked to `hold`
 * (which fails when one exists, so two runs never both hold a guest); a stale hold is replaced.
 */
export function placeHold(cfgdir: Buffer, command: string): PlaceHoldOutcome {
  const target = holdPath(cfgdir);
  const temp = concatBytes(target, `.${process.pid}`);
  const lines = [
    `pid=${process.pid}`,
    `host=${hostname()}`,
    `user=${safeUserName()}`,
    `since=${new Date().toISOString()}`,
    `started=${readStartTime(process.pid) ?? ''}`,
    `boot=${readBootId() ?? ''}`,
    `command=${command.replace(/\n/g, ' ')}`,
    '',
  ];
  writeFileSync(temp, lines.join('\n'), { mode: 0o644 });
  try {
    for (;;) {
      try {
        linkSync(temp, target);
        return { ok: true };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const held = readHold(cfgdir);
      if (held === undefined) continue; // lifted meanwhile
      if (held.stale !== true) return { ok: false, held };
      renameSync(temp, target);
      return { ok: true, replaced: held };
    }
  } finally {
    rmSync(temp, { force: true });
  }
}

/** Lifts the hold (when it is this process's, or whoever's: the caller decides). */
export function liftHold(cfgdir: Buffer): void {
  rmSync(holdPath(cfgdir), { force: true });
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid?.() ?? '');
  }
}
