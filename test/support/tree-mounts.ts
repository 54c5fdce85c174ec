// Mount operations for tree fixtures: Node has no mount(2), so these shell out to util-linux `mount`/`umount`.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { formatSpawnArgument } from './tree-bytes.js';

/** Mounts a fresh, empty tmpfs on `dir` (root only). */
export function createTmpfsMount(dir: Buffer): void {
  runMountTool('mount', ['-t', 'tmpfs', '-o', 'size=64m,mode=0755', 'none', dir]);
}

/** Makes the mounts at and below `dir` private, so moving them is allowed and nothing propagates to the host. */
export function createPrivateMountTree(dir: Buffer): void {
  runMountTool('mount', ['--make-rprivate', dir]);
}

/** Bind-mounts the directory `source` on the directory `target`. */
export function createBindMount(source: Buffer, target: Buffer): void {
  runMountTool('mount', ['--bind', source, target]);
}

/** Moves the mount on `from` (with everything mounted below it) to the directory `to`. */
export function moveMount(from: Buffer, to: Buffer): void {
  runMountTool('mount', ['--move', from, to]);
}

/** Unmounts `dir` and everything below it, lazily if a busy process still holds part of it. */
export function removeMountTree(dir: Buffer): void {
  const status = spawnSync('umount', ['-R', formatSpawnArgument(dir)], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (status.status === 0) return;
  runMountTool('umount', ['-R', '-l', dir]);
}

/** Every mount point strictly below `dir`, as byte paths (from /proc/self/mountinfo, octal escapes decoded). */
export function findMountPointsBelow(dir: Buffer): Buffer[] {
  const prefix = Buffer.concat([dir, Buffer.from('/')]);
  const result: Buffer[] = [];
  for (const line of splitLines(readFileSync('/proc/self/mountinfo'))) {
    const fields = splitFields(line);
    if (fields.length < 5) continue;
    const mountPoint = decodeMountinfoField(fields[4]!);
    if (mountPoint.length > prefix.length && mountPoint.subarray(0, prefix.length).equals(prefix)) {
      result.push(mountPoint);
    }
  }
  return result;
}

function runMountTool(tool: string, args: (string | Buffer)[]): void {
  const textArgs = args.map((arg) => (typeof arg === 'string' ? arg : formatSpawnArgument(arg)));
  const status = spawnSync(tool, textArgs, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (status.error) throw status.error;
  if (status.status !== 0) {
    throw new Error(`${tool} ${textArgs.join(' ')} failed (${status.status}): ${status.stderr.trim()}`);
  }
}

function splitLines(data: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let from = 0;
  for (let at = data.indexOf(0x0a); at !== -1; at = data.indexOf(0x0a, from)) {
    lines.push(data.subarray(from, at));
    from = at + 1;
  }
  if (from < data.length) lines.push(data.subarray(from));
  return lines;
}

function splitFields(line: Buffer): Buffer[] {
  const fields: Buffer[] = [];
  let from = 0;
  for (let at = line.indexOf(0x20); at !== -1; at = line.indexOf(0x20, from)) {
    fields.push(line.subarray(from, at));
    from = at + 1;
  }
  fields.push(line.subarray(from));
  return fields;
}

// The kernel writes space, tab, newline and backslash in mount points as \ooo.
function decodeMountinfoField(field: Buffer): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < field.length; i++) {
    const octal = field.subarray(i + 1, i + 4).toString('latin1');
    if (field[i] === 0x5c && /^[0-7]{3}$/.test(octal)) {
      bytes.push(parseInt(octal, 8));
      i += 3;
    } else {
      bytes.push(field[i]!);
    }
  }
  return Buffer.from(bytes);
}
