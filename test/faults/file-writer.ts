// The busy guest of issue 4.4: rewrites, appends to, truncates and replaces guest files while hashify runs.
import { closeSync, constants, fstatSync, ftruncateSync, lstatSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { isTimeToStop, type ScriptLimits } from './child-script.js';
import { createContent, createRandom } from './synthetic-guest.js';

/** Which files to change (guest-relative), below which guest. */
export interface WriterJob extends ScriptLimits {
  guest: string;
  targets: string[];
  seed: number;
}

/** What the writer did. `raced`: a write landed in an inode that was no longer at its path. */
export interface WriterReport {
  rewrites: number;
  appends: number;
  truncates: number;
  renames: number;
  shared: number;
  raced: number;
  failed: number;
}

type Op = 'rewrites' | 'appends' | 'truncates' | 'renames';
const OPS: Op[] = ['rewrites', 'appends', 'truncates', 'renames'];

/**
 * Changes files in place only while they are private (one link, checked on the open descriptor):
 * an in-place write into a shared inode would change the store entry itself, which no hashify
 * can prevent under `--protect none` (that is what the policy means). Shared files are replaced
 * by rename, as package managers do.
 */
export function runFileWriter(job: WriterJob): WriterReport {
  const random = createRandom(job.seed);
  const report: WriterReport = { rewrites: 0, appends: 0, truncates: 0, renames: 0, shared: 0, raced: 0, failed: 0 };
  const started = Date.now();
  for (let i = 0; !isTimeToStop(job, i, started); i += 1) {
    const target = Math.floor(random() * job.targets.length);
    const path = `${job.guest}/${job.targets[target]!}`;
    // One kind of change per file: files that are only ever rewritten in place keep their inode and
    // size, so nothing but their mtime tells the run they changed after it hashed them.
    let op = OPS[target % OPS.length]!;
    try {
      if (op !== 'renames') {
        const fd = openSync(path, constants.O_WRONLY | constants.O_NOFOLLOW | (op === 'appends' ? constants.O_APPEND : 0));
        try {
          const st = fstatSync(fd);
          if (st.nlink > 1) {
            report.shared += 1;
            op = 'renames';
          } else {
            writeInPlace(fd, op, st.size, `${i}-${job.seed}`, random);
            if (lstatSync(path).ino !== st.ino) report.raced += 1;
          }
        } finally {
          closeSync(fd);
        }
      }
      if (op === 'renames') {
        const st = lstatSync(path);
        const temp = `${path}.writer`;
        writeFileSync(temp, createContent(`renamed-${i}-${job.seed}`, 16 + Math.floor(random() * 9000)), { mode: st.mode & 0o7777 });
        renameSync(temp, path);
      }
      report[op] += 1;
    } catch {
      report.failed += 1;
    }
  }
  return report;
}

function writeInPlace(fd: number, op: Exclude<Op, 'renames'>, size: number, key: string, random: () => number): void {
  if (op === 'rewrites') {
    // Same size, other bytes: only the mtime tells this change apart.
    writeSync(fd, createContent(`rewrite-${key}`, Math.max(1, size)), 0, Math.max(1, size), 0);
  } else if (op === 'appends') {
    writeSync(fd, createContent(`append-${key}`, 1 + Math.floor(random() * 64)));
  } else {
    ftruncateSync(fd, Math.floor(size * random()));
  }
}
