// A dry run changes nothing, so it has no `linked` events: this turns each of its `unifying` lines
// into the outcome a real run would have, for the summary. Spec 8.9: within one dry run two
// identical new files both announce counter 0; the real run links the second to the first's entry,
// so an entry planned earlier in the run counts as existing from then on.
import type { EntryEvent, InodeFigures, OutcomeEvent } from './events.js';

/** How the real run would make a new entry: a copy (a new inode) or the file's own inode. */
export type PlannedMode = 'copy' | 'in-place';

/** An inode as planned: its link count grows as planned links are added. */
type PlannedInode = { -readonly [K in keyof InodeFigures]: InodeFigures[K] };

/** The planned outcomes of one dry run (every guest of it: `--all` shares one store). */
export class PlannedOutcomes {
  private readonly planned = new Map<string, PlannedInode>();
  /** Planned copies are inodes that do not exist yet: numbered below zero, never a real inode number. */
  private nextCopy = -1n;

  constructor(private readonly mode: PlannedMode) {}

  /** The `linked` event a real run would report after this `unifying` line. */
  plan(event: Extract<EntryEvent, { kind: 'unifying' }>): Extract<OutcomeEvent, { kind: 'linked' }> {
    const earlier = this.planned.get(event.entryPath);
    if (earlier !== undefined) {
      earlier.nlink += 1n;
      return { kind: 'linked', path: event.path, before: event.stat, after: { ...earlier }, newEntry: false };
    }
    const { stat } = event;
    let after: PlannedInode;
    if (event.target.kind === 'existing') {
      const entry = event.target.stat;
      after = { dev: entry.dev, ino: entry.ino, nlink: entry.nlink + 1n, blocks: entry.blocks, size: entry.size };
    } else if (this.mode === 'copy') {
      after = { dev: stat.dev, ino: this.nextCopy, nlink: 2n, blocks: stat.blocks, size: stat.size };
      this.nextCopy -= 1n;
    } else {
      after = { dev: stat.dev, ino: stat.ino, nlink: stat.nlink + 1n, blocks: stat.blocks, size: stat.size };
    }
    this.planned.set(event.entryPath, after);
    return { kind: 'linked', path: event.path, before: stat, after: { ...after }, newEntry: event.target.kind === 'new' };
  }
}
