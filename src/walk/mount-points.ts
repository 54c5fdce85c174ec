// The mount points inside a tree: the walk enters them, and their files are only hashified where the
// hash dir has a storage root on their file system (spec 7.1), so `--check` must know them.
import { readFileSync } from 'node:fs';

/**
 * Mount points from /proc/self/mountinfo (field 5, with the kernel's octal escapes `\040` and the
 * like undone), in the kernel's order. A table that cannot be read gives none.
 */
export function readMountPoints(mountinfo?: Buffer): Buffer[] {
  let data = mountinfo;
  if (data === undefined) {
    try {
      data = readFileSync('/proc/self/mountinfo');
    } catch {
      return [];
    }
  }
  const points: Buffer[] = [];
  for (const line of splitLines(data)) {
    const fields = splitFields(line);
    if (fields.length > 4) points.push(unescapeOctal(fields[4]!));
  }
  return points;
}

/**
 * The guest paths (`/usr`, `/srv/data`) of the mount points strictly below `root` (an absolute path
 * without symlinks, like a resolved vdir), each once, shortest first.
 */
export function findMountPointsBelow(root: Buffer, points: readonly Buffer[] = readMountPoints()): Buffer[] {
  const prefix = root[root.length - 1] === 0x2f ? root : Buffer.concat([root, Buffer.from('/')]);
  const found = new Map<string, Buffer>();
  for (const point of points) {
    if (point.length <= prefix.length || !point.subarray(0, prefix.length).equals(prefix)) continue;
    const relative = Buffer.concat([Buffer.from('/'), point.subarray(prefix.length)]);
    found.set(relative.toString('latin1'), relative);
  }
  return [...found.values()].sort((a, b) => a.length - b.length || Buffer.compare(a, b));
}

function splitLines(data: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let at = data.indexOf(0x0a); at >= 0; at = data.indexOf(0x0a, start)) {
    lines.push(data.subarray(start, at));
    start = at + 1;
  }
  if (start < data.length) lines.push(data.subarray(start));
  return lines;
}

function splitFields(line: Buffer): Buffer[] {
  const fields: Buffer[] = [];
  let start = 0;
  for (let at = 0; at <= line.length; at += 1) {
    if (at === line.length || line[at] === 0x20) {
      if (at > start) fields.push(line.subarray(start, at));
      start = at + 1;
    }
  }
  return fields;
}

// The kernel writes space, tab, newline and backslash in a path as `\ooo`.
function unescapeOctal(field: Buffer): Buffer {
  const bytes: number[] = [];
  for (let at = 0; at < field.length; at += 1) {
    const octal = field.subarray(at + 1, at + 4).toString('latin1');
    if (field[at] === 0x5c && /^[0-7]{3}$/.test(octal)) {
      bytes.push(parseInt(octal, 8));
      at += 3;
    } else {
      bytes.push(field[at]!);
    }
  }
  return Buffer.from(bytes);
}
