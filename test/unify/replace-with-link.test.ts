import assert from 'node:assert/strict';
import {
  chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, utimesSync, writeFileSync,
  type BigIntStats,
} from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { mtimeSeconds } from '../../src/store/compare-entry.js';
import { realFsOps, type FsOps } from '../../src/unify/fs-ops.js';
import { replaceWithLink, type ReplaceOutcome } from '../../src/unify/replace-with-link.js';
import { isTempName } from '../../src/unify/temp-name.js';
import { openRootDir, releaseDir, type DirHandle } from '../../src/walk/dir-handle.js';
import { createTmpfsDir, removeTmpfsDir } from '../store/tmpfs-fixture.js';
import { writeFileWithMeta, type FileMeta } from './file-fixture.js';

let base = '';
let counter = 0;
before(() => {
  process.umask(0o022);
  base = createTmpfsDir('replace-with-link');
});
after(() => {
  if (base !== '') removeTmpfsDir(base);
});

const CONTENT = 'the content both the guest file and the store entry hold\n';
const META: FileMeta = { uid: 1234, gid: 5678, mode: 0o2750, mtime: new Date(1_500_000_000_000) };
const TARGET = Buffer.from('target');
const SIBLINGS = ['before', 'after', 'zz'];

/** A guest directory with the target and siblings, and a store entry with the same content and metadata. */
interface Scenario {
  guest: string;
  entry: string;
  handle: DirHandle;
  /** The store directory, open: the entry is `entry` in it. */
  store: DirHandle;
  original: BigIntStats;
  entryStat: BigIntStats;
  siblings: Map<string, bigint>;
}

function createScenario(): Scenario {
  const dir = join(base, `s${counter++}`);
  const guest = join(dir, 'guest');
  mkdirSync(guest, { recursive: true });
  mkdirSync(join(dir, 'store'));
  const siblings = new Map<string, bigint>();
  writeFileWithMeta(join(guest, 'before'), 'a sibling created before the target', META);
  const original = writeFileWithMeta(join(guest, 'target'), CONTENT, META);
  for (const name of ['after', 'zz']) writeFileWithMeta(join(guest, name), `sibling ${name} of the target`, META);
  for (const name of SIBLINGS) siblings.set(name, lstatSync(join(guest, name), { bigint: true }).ino);
  const entry = join(dir, 'store', 'entry');
  const entryStat = writeFileWithMeta(entry, CONTENT, META);
  return { guest, entry, handle: openRootDir(guest), store: openRootDir(join(dir, 'store')), original, entryStat, siblings };
}

// `null`: no expected version (the in-place direction, where the target is a placeholder).
function replaceTarget(s: Scenario, ops?: FsOps, expected: BigIntStats | null = s.original): ReplaceOutcome {
  const req = { source: { dirFd: s.store.fd, name: Buffer.from('entry') }, target: { dirFd: s.handle.fd, name: TARGET } };
  return replaceWithLink(expected === null ? req : { ...req, expected }, ops);
}

function release(s: Scenario): void {
  releaseDir(s.handle);
  releaseDir(s.store);
}

/**
 * The acceptance invariant: the target exists with its content and metadata (as the old inode or
 * as the entry), every sibling is untouched, and the only extra names are `target;XXXXXX`
 * temporaries that are links to the entry. Returns what was found.
 */
function assertNothingLost(s: Scenario): { targetIno: bigint; temps: string[] } {
  const names = readdirSync(s.guest);
  const temps = names.filter((n) => n.startsWith('target;'));
  assert.deepEqual(names.filter((n) => !temps.includes(n)).sort(), [...SIBLINGS, 'target'].sort(), 'no name was lost or added');
  const target = lstatSync(join(s.guest, 'target'), { bigint: true });
  assert.ok(target.ino === s.original.ino || target.ino === s.entryStat.ino, 'the target is the old inode or the entry');
  assert.equal(readFileSync(join(s.guest, 'target'), 'utf8'), CONTENT);
  assert.equal(target.mode, s.original.mode);
  assert.equal(target.uid, s.original.uid);
  assert.equal(target.gid, s.original.gid);
  assert.equal(target.size, s.original.size);
  assert.equal(mtimeSeconds(target), mtimeSeconds(s.original));
  for (const [name, ino] of s.siblings) assert.equal(lstatSync(join(s.guest, name), { bigint: true }).ino, ino, name);
  for (const temp of temps) {
    assert.ok(isTempName(Buffer.from(temp)), `${temp} has the temporary form`);
    assert.equal(lstatSync(join(s.guest, temp), { bigint: true }).ino, s.entryStat.ino, `${temp} links the entry`);
  }
  return { targetIno: target.ino, temps };
}

class Crash extends Error {}

type Step = 'link' | 'rename' | 'unlink';

/** What the injected ops do: fail a step with an errno, and/or stop the world after N performed steps. */
interface FaultPlan {
  fail?: Partial<Record<Step, string>>;
  crashAfter?: number;
}

function createErrnoError(code: string, syscall: Step): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected, ${syscall}`), { code, syscall });
}

// Real system calls, except the injected failures; after a crash nothing is performed any more.
function createFaultyOps(plan: FaultPlan): { ops: FsOps; log: string[] } {
  const log: string[] = [];
  let performed = 0;
  let halted = plan.crashAfter === 0;
  const run = (step: Step, perform: () => void): void => {
    if (halted) {
      log.push(`halted ${step}`);
      throw new Crash('the process is gone');
    }
    const code = plan.fail?.[step];
    if (code !== undefined) {
      log.push(`failed ${step}`);
      throw createErrnoError(code, step);
    }
    perform();
    log.push(step);
    performed += 1;
    if (plan.crashAfter === performed) {
      halted = true;
      throw new Crash('the process is gone');
    }
  };
  return {
    log,
    ops: {
      link: (a, b, c, d) => run('link', () => realFsOps.link(a, b, c, d)),
      rename: (a, b, c, d) => run('rename', () => realFsOps.rename(a, b, c, d)),
      unlink: (a, b) => run('unlink', () => realFsOps.unlink(a, b)),
    },
  };
}

test('without faults the target becomes the entry, with no temporary left', () => {
  const s = createScenario();
  try {
    const { ops, log } = createFaultyOps({});
    assert.deepEqual(replaceTarget(s, ops), { ok: true });
    assert.deepEqual(log, ['link', 'rename']);
    const found = assertNothingLost(s);
    assert.equal(found.targetIno, s.entryStat.ino);
    assert.deepEqual(found.temps, []);
    assert.equal(lstatSync(s.entry).nlink, 2);
  } finally {
    release(s);
  }
});

test('a crash at any point of the sequence leaves the target in place and only linked temporaries', () => {
  const cases: Array<{ label: string; plan: FaultPlan; target: 'old' | 'entry'; temps: number }> = [
    { label: 'crash before the first step', plan: { crashAfter: 0 }, target: 'old', temps: 0 },
    { label: 'crash right after the link to the temporary name', plan: { crashAfter: 1 }, target: 'old', temps: 1 },
    { label: 'crash right after the rename', plan: { crashAfter: 2 }, target: 'entry', temps: 0 },
    { label: 'rename fails, crash right after the cleanup unlink', plan: { fail: { rename: 'EIO' }, crashAfter: 2 }, target: 'old', temps: 0 },
    { label: 'rename fails, crash before the cleanup unlink', plan: { fail: { rename: 'EIO' }, crashAfter: 1 }, target: 'old', temps: 1 },
  ];
  for (const c of cases) {
    const s = createScenario();
    try {
      const { ops, log } = createFaultyOps(c.plan);
      const outcome = replaceTarget(s, ops);
      const found = assertNothingLost(s);
      assert.equal(found.targetIno, c.target === 'old' ? s.original.ino : s.entryStat.ino, c.label);
      assert.equal(found.temps.length, c.temps, `${c.label}: ${log.join(', ')}`);
      if (c.target === 'old') assert.equal(outcome.ok, false, c.label);
    } finally {
      release(s);
    }
  }
});

test('a failing link changes nothing and says link()', () => {
  const s = createScenario();
  try {
    const { ops } = createFaultyOps({ fail: { link: 'EMLINK' } });
    assert.deepEqual(replaceTarget(s, ops), { ok: false, changed: false, message: 'link(): Too many links\n', code: 'EMLINK' });
    const found = assertNothingLost(s);
    assert.equal(found.targetIno, s.original.ino);
    assert.deepEqual(found.temps, []);
  } finally {
    release(s);
  }
});

test('a failing rename removes the temporary and says rename()', () => {
  const s = createScenario();
  try {
    const { ops, log } = createFaultyOps({ fail: { rename: 'EIO' } });
    assert.deepEqual(replaceTarget(s, ops), { ok: false, changed: false, message: 'rename(): Input/output error\n', code: 'EIO' });
    assert.deepEqual(log, ['link', 'failed rename', 'unlink']);
    const found = assertNothingLost(s);
    assert.equal(found.targetIno, s.original.ino);
    assert.deepEqual(found.temps, []);
    assert.equal(lstatSync(s.entry).nlink, 1);
  } finally {
    release(s);
  }
});

test('a failing cleanup after a failing rename leaves only a temporary that links the entry', () => {
  const s = createScenario();
  try {
    const { ops } = createFaultyOps({ fail: { rename: 'EIO', unlink: 'EIO' } });
    assert.deepEqual(replaceTarget(s, ops), { ok: false, changed: false, message: 'rename(): Input/output error\n', code: 'EIO' });
    const found = assertNothingLost(s);
    assert.equal(found.targetIno, s.original.ino);
    assert.equal(found.temps.length, 1);
  } finally {
    release(s);
  }
});

test('a target rewritten in place after the walk is not replaced, and the temporary is removed', () => {
  const s = createScenario();
  try {
    writeFileSync(join(s.guest, 'target'), 'new content written by the guest');
    assert.deepEqual(replaceTarget(s), { ok: false, changed: true, message: '' });
    const now = lstatSync(join(s.guest, 'target'), { bigint: true });
    assert.equal(now.ino, s.original.ino);
    assert.equal(readFileSync(join(s.guest, 'target'), 'utf8'), 'new content written by the guest');
    assert.deepEqual(readdirSync(s.guest).filter((n) => n.includes(';')), []);
    assert.equal(lstatSync(s.entry).nlink, 1);
  } finally {
    release(s);
  }
});

test('a target swapped for another inode with the same size and mtime is not replaced', () => {
  const s = createScenario();
  try {
    const impostor = join(s.guest, 'impostor');
    writeFileWithMeta(impostor, 'X'.repeat(CONTENT.length), META);
    renameSync(impostor, join(s.guest, 'target'));
    assert.deepEqual(replaceTarget(s), { ok: false, changed: true, message: '' });
    assert.equal(readFileSync(join(s.guest, 'target'), 'utf8'), 'X'.repeat(CONTENT.length));
    assert.deepEqual(readdirSync(s.guest).filter((n) => n.includes(';')), []);
  } finally {
    release(s);
  }
});

test('a target whose mtime changed (same inode and size) is not replaced', () => {
  const s = createScenario();
  try {
    utimesSync(join(s.guest, 'target'), new Date(0), new Date(1_500_000_000_500));
    assert.deepEqual(replaceTarget(s), { ok: false, changed: true, message: '' });
    assert.equal(lstatSync(join(s.guest, 'target'), { bigint: true }).ino, s.original.ino);
  } finally {
    release(s);
  }
});

test('a target removed after the walk is not brought back', () => {
  const s = createScenario();
  try {
    unlinkSync(join(s.guest, 'target'));
    assert.deepEqual(replaceTarget(s), { ok: false, changed: true, message: '' });
    assert.deepEqual(readdirSync(s.guest).sort(), [...SIBLINGS].sort());
  } finally {
    release(s);
  }
});

test('a temporary name that is already taken is retried under another name, and the squatter is left alone', () => {
  const s = createScenario();
  try {
    const tried: string[] = [];
    const squatters: string[] = [];
    const ops: FsOps = {
      ...realFsOps,
      link(fromDir, from, toDir, created) {
        const name = created.toString();
        tried.push(name);
        if (tried.length <= 2) {
          // Someone holds exactly this name: the real link() must fail with EEXIST.
          writeFileSync(join(s.guest, name), 'squatter');
          squatters.push(name);
        }
        realFsOps.link(fromDir, from, toDir, created);
      },
    };
    assert.deepEqual(replaceTarget(s, ops), { ok: true });
    assert.equal(tried.length, 3);
    assert.equal(new Set(tried).size, 3, 'each try uses a new name');
    for (const name of tried) assert.ok(name.startsWith('target;') && isTempName(Buffer.from(name)));
    for (const name of squatters) assert.equal(readFileSync(join(s.guest, name), 'utf8'), 'squatter');
    assert.equal(lstatSync(join(s.guest, 'target'), { bigint: true }).ino, s.entryStat.ino);
    assert.equal(readdirSync(s.guest).filter((n) => n.includes(';')).length, 2, 'only the squatters remain');
  } finally {
    release(s);
  }
});

test('when every temporary name is taken it gives up with link(): File exists', () => {
  const s = createScenario();
  try {
    let tries = 0;
    const ops: FsOps = {
      ...realFsOps,
      link() {
        tries += 1;
        throw createErrnoError('EEXIST', 'link');
      },
    };
    assert.deepEqual(replaceTarget(s, ops), { ok: false, changed: false, message: 'link(): File exists\n', code: 'EEXIST' });
    assert.ok(tries > 1 && tries < 1000, `${tries} tries`);
    assert.equal(assertNothingLost(s).targetIno, s.original.ino);
  } finally {
    release(s);
  }
});

test('without an expected version the target is replaced whatever it holds (the in-place placeholder case)', () => {
  const s = createScenario();
  try {
    const placeholder = join(s.guest, 'target');
    writeFileSync(placeholder, '');
    chmodSync(placeholder, 0o200);
    const { ops, log } = createFaultyOps({ crashAfter: 1 });
    replaceTarget(s, ops, null);
    assert.deepEqual(log, ['link']);
    assert.equal(lstatSync(placeholder).size, 0, 'a crash after the link leaves the placeholder');
    assert.deepEqual(replaceTarget(s, undefined, null), { ok: true });
    assert.equal(lstatSync(placeholder, { bigint: true }).ino, s.entryStat.ino);
  } finally {
    release(s);
  }
});
