// Stand-ins for the stats and events of a run, for the report stage's unit tests.
import type { FileStat } from '../../src/sys/file-stat.js';
import type { EntryEvent, OutcomeEvent } from '../../src/report/events.js';

/** A regular file's stat with just what the reports read (8 blocks of 512 bytes unless told). */
export function fakeFile(ino: bigint, nlink = 1n, blocks = 8n, size = 4000n, dev = 7n): FileStat {
  return { dev, ino, nlink, blocks, size, isFile: () => true } as unknown as FileStat;
}

/** A symbolic link's stat. */
export function fakeSymlink(ino: bigint): FileStat {
  return { dev: 7n, ino, nlink: 1n, blocks: 0n, size: 4n, isFile: () => false } as unknown as FileStat;
}

const path = (name: string): Buffer => Buffer.from(`/${name}`);

/** A skip line's event. */
export function skipEvent(name: string, reason: Extract<EntryEvent, { kind: 'skip' }>['reason'], stat?: FileStat): EntryEvent {
  const event: Extract<EntryEvent, { kind: 'skip' }> = { kind: 'skip', path: path(name), reason, isDotfile: reason === 'dotfile', isSymlink: reason === 'symlink' };
  if (stat !== undefined) event.stat = stat;
  return event;
}

/** A `unifying` line's event: to a new entry, or to an existing one with `entry` as its stat. */
export function unifyingEvent(name: string, stat: FileStat, entryPath: string, entry?: FileStat): Extract<EntryEvent, { kind: 'unifying' }> {
  return { kind: 'unifying', path: path(name), entryPath, stat, target: entry === undefined ? { kind: 'new' } : { kind: 'existing', stat: entry } };
}

/** A real run's `linked` event. */
export function linkedEvent(name: string, before: FileStat, after: FileStat, newEntry: boolean): OutcomeEvent {
  return { kind: 'linked', path: path(name), before, after, newEntry };
}
