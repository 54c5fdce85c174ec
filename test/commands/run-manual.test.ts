import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  appendFileSync, chmodSync, closeSync, existsSync, lstatSync, mkdirSync, opendirSync, openSync, readdirSync,
  readFileSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync, writeSync, type BigIntStats,
} from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { main } from '../../src/cli/main.js';
import { formatAutoRefusal } from '../../src/config/read-protect-policy.js';
import type { Output } from '../../src/report/output.js';
import { hasVserverKernel } from '../../src/unify/vserver-protection.js';
import { binPath } from '../support/paths.js';
import { createTmpfsDir, removeTmpfsDir } from '../store/tmpfs-fixture.js';
import { listTree, writeFileWithMeta, type FileMeta } from '../unify/file-fixture.js';
import { withSwapAfterLstat } from '../walk/lstat-race.js';

let base = '';
let counter = 0;
before(() => {
  process.umask(0o022);
  base = createTmpfsDir('run-manual');
});
after(() => {
  if (base !== '') {
    spawnSync('chattr', ['-R', '-i', base]);
    removeTmpfsDir(base);
  }
});

const META: FileMeta = { uid: 1000, gid: 100, mode: 0o644, mtime: new Date(1_400_000_000_000) };
const CONTENT = 'identical content in several files of the guest\n';

/** One sandbox: a guest, a hash dir with one storage root, an exclude list and a cache dir path. */
interface Sandbox {
  dir: string;
  guest: string;
  hashDir: string;
  root: string;
  exclude: string;
  cache: string;
}

function createSandbox(): Sandbox {
  const dir = join(base, `s${counter++}`);
  const sandbox = {
    dir,
    guest: join(dir, 'guest'),
    hashDir: join(dir, 'hash'),
    root: join(dir, 'hash', 'root'),
    exclude: join(dir, 'exclude'),
    cache: join(dir, 'cache'),
  };
  mkdirSync(sandbox.guest, { recursive: true });
  mkdirSync(sandbox.root, { recursive: true });
  writeFileSync(sandbox.exclude, '');
  return sandbox;
}

interface RunResult {
  code: number;
  stdout: Buffer;
  stderr: Buffer;
}

function createCapture(): { out: Output; stdout: Buffer[]; stderr: Buffer[] } {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const bytes = (text: string | Buffer): Buffer => (typeof text === 'string' ? Buffer.from(text) : Buffer.from(text));
  return {
    stdout,
    stderr,
    out: { out: (text) => stdout.push(bytes(text)), err: (text) => stderr.push(bytes(text)), flush: () => undefined },
  };
}

// `vhashify --manually --destination HASHDIR OPTIONS… GUEST EXCLUDE`, in this process.
async function runVhashify(s: Sandbox, options: string[], env: Record<string, string> = {}): Promise<RunResult> {
  const capture = createCapture();
  const code = await main(['--manually', '--destination', s.hashDir, ...options, s.guest, s.exclude], {
    argv0: 'vhashify',
    cwd: s.dir,
    env: { VHASHIFY_CACHE_DIR: s.cache, VHASHIFY_HINTS: '0', ...env },
    out: capture.out,
  });
  return { code, stdout: Buffer.concat(capture.stdout), stderr: Buffer.concat(capture.stderr) };
}

function readRawNames(dir: string): Buffer[] {
  const handle = opendirSync(dir, { encoding: 'buffer' as BufferEncoding });
  const names: Buffer[] = [];
  for (let ent = handle.readSync(); ent !== null; ent = handle.readSync()) names.push(ent.name as unknown as Buffer);
  handle.closeSync();
  return names;
}

function header(s: Sandbox): string {
  return `Initializing exclude-list for ${s.guest}\nStarting to traverse directories...\n`;
}

function statOf(path: string | Buffer): BigIntStats {
  return lstatSync(path, { bigint: true });
}

// Every file below the storage root (store entries), as absolute paths.
function listEntries(s: Sandbox): string[] {
  return (readdirSync(s.root, { recursive: true }) as string[])
    .map((p) => join(s.root, p))
    .filter((p) => lstatSync(p).isFile());
}

test('a run links identical files to one new entry and prints upstream\'s lines in raw readdir order', async () => {
  const s = createSandbox();
  for (const name of ['a', 'b', 'c']) writeFileWithMeta(join(s.guest, name), CONTENT, META);
  writeFileWithMeta(join(s.guest, 'small'), 'tiny', META);
  const order = readRawNames(s.guest); // a replaced name moves in the directory: take the order first
  const result = await runVhashify(s, ['--protect', 'none', '-vvvv']);
  assert.equal(result.stderr.toString(), '');
  assert.equal(result.code, 0);
  const entries = listEntries(s);
  assert.equal(entries.length, 1);
  const entry = entries[0]!;
  assert.match(entry, /\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{60}-00000000$/);
  const lines = order.map((name) => (name.toString() === 'small'
    ? "  skipping '/small' (too small)\n"
    : `unifying   '/${name}' (to '${entry}')\n`));
  assert.equal(result.stdout.toString(), header(s) + lines.join(''));
  for (const name of ['a', 'b', 'c']) assert.equal(statOf(join(s.guest, name)).ino, statOf(entry).ino);
  assert.equal(statOf(entry).nlink, 4n);
  assert.equal(readFileSync(join(s.hashDir, 'method'), 'utf8'), 'sha256\n');
  assert.equal(readFileSync(join(s.hashDir, 'blocks'), 'utf8'), 'all\n');
  assert.equal(statOf(join(s.guest, 'small')).nlink, 1n);
});

test('a shared file rewritten in place, size and mtime put back, is hashed again and linked to an entry named for its new content, as upstream does', async () => {
  const s = createSandbox();
  for (const name of ['a', 'b']) writeFileWithMeta(join(s.guest, name), CONTENT, META);
  const first = await runVhashify(s, ['--protect', 'none', '-vv']);
  assert.equal(first.code, 0);
  const [entry] = listEntries(s);
  assert.ok(entry !== undefined);
  const shared = statOf(entry);
  assert.equal(statOf(join(s.guest, 'a')).ino, shared.ino);
  assert.equal(statOf(join(s.guest, 'b')).ino, shared.ino);

  // What `dd conv=notrunc` then `touch -d` does: same size, same mtime, other bytes; only the ctime moves.
  const changed = CONTENT.replace('identical', 'IDENTICAL');
  assert.equal(changed.length, CONTENT.length);
  const fd = openSync(join(s.guest, 'a'), 'r+');
  writeSync(fd, Buffer.from(changed), 0, changed.length, 0);
  closeSync(fd);
  utimesSync(join(s.guest, 'a'), new Date(Number(shared.atimeNs / 1_000_000n)), new Date(Number(shared.mtimeNs / 1_000_000n)));
  assert.equal(statOf(entry).mtimeNs, shared.mtimeNs);
  assert.notEqual(statOf(entry).ctimeNs, shared.ctimeNs);

  const second = await runVhashify(s, ['--protect', 'none', '-vvv']);
  assert.equal(second.code, 0);
  assert.equal(second.stdout.toString(), `${header(s)}unifying   '/a'\nunifying   '/b'\n`);
  const entries = listEntries(s);
  assert.equal(entries.length, 2);
  const fresh = entries.find((p) => p !== entry)!;
  for (const name of ['a', 'b']) {
    assert.equal(statOf(join(s.guest, name)).ino, statOf(fresh).ino, `${name} now is the entry for the new content`);
    assert.equal(readFileSync(join(s.guest, name), 'utf8'), changed);
  }
  assert.equal(statOf(entry).nlink, 1n, 'the old entry is no longer shared');
});

test('a re-run of an unchanged guest opens no guest file and does not look up a single store entry', async (t) => {
  if (spawnSync('strace', ['-V'], { stdio: 'ignore' }).status !== 0) return t.skip('strace is not installed');
  const s = createSandbox();
  const names = ['fastpath-one', 'fastpath-two', 'fastpath-three'];
  for (const name of names) writeFileWithMeta(join(s.guest, name), `${CONTENT}${name}\n`, META);
  writeFileWithMeta(join(s.guest, 'fastpath-twin'), `${CONTENT}fastpath-one\n`, META);
  const args = ['--protect', 'none', '--manually', '--destination', s.hashDir, '-vvv', s.guest, s.exclude];
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', VHASHIFY_CACHE_DIR: s.cache, VHASHIFY_HINTS: '0', VHASHIFY_ARGV0: 'vhashify' };
  const first = spawnSync(process.execPath, [binPath, ...args], { env });
  assert.equal(first.status, 0, first.stderr.toString());
  const entryNames = listEntries(s).map((p) => p.slice(p.lastIndexOf('/') + 1));
  assert.equal(entryNames.length, 3);

  const log = join(s.dir, 'strace.log');
  const second = spawnSync('strace', ['-f', '-qq', '-o', log, '-e', 'trace=%file,%desc', process.execPath, binPath, ...args], { env });
  assert.equal(second.status, 0, second.stderr.toString());
  assert.equal(second.stdout.toString(), `${header(s)}${readRawNames(s.guest).map((n) => `  skipping '/${n}' (already unified)\n`).join('')}`);
  const calls = readFileSync(log, 'utf8').split('\n');
  const opens = calls.filter((line) => /\bopen(at)?\(/.test(line) && names.concat('fastpath-twin').some((n) => line.includes(`${n}"`)));
  assert.deepEqual(opens, [], 'no guest file was opened');
  assert.deepEqual(calls.filter((line) => entryNames.some((n) => line.includes(n))), [], 'no store entry was looked at');
  assert.ok(calls.some((line) => line.includes('fastpath-one')), 'the trace does see the walk');
});

test('--protect auto on a kernel without Linux-VServer refuses with exit 1 and creates or changes nothing', async (t) => {
  if (hasVserverKernel()) return t.skip('this kernel has Linux-VServer support');
  const s = createSandbox();
  writeFileWithMeta(join(s.guest, 'a'), CONTENT, META);
  writeFileWithMeta(join(s.guest, 'b'), CONTENT, META);
  const before = listTree(s.dir);
  for (const options of [['--protect', 'auto'], []]) {
    const result = await runVhashify(s, [...options, '-vv']);
    assert.equal(result.code, 1);
    assert.equal(result.stdout.toString(), '');
    assert.equal(result.stderr.toString(), formatAutoRefusal([`${s.hashDir}/protect`]));
    assert.match(result.stderr.toString(), /^vhashify: this kernel has no Linux-VServer support/);
    assert.ok(result.stderr.toString().includes(`${s.hashDir}/protect`));
    assert.ok(result.stderr.toString().includes('--protect POLICY'));
    assert.deepEqual(listTree(s.dir), before, 'no method/blocks, no cache, no guest change');
  }
  assert.ok(!existsSync(join(s.hashDir, 'method')));
  assert.ok(!existsSync(s.cache));
});

test('a protect file saying none is obeyed (and says what it means when a human watches)', async () => {
  const s = createSandbox();
  writeFileSync(join(s.hashDir, 'protect'), '# trusted guests only\nnone\n');
  writeFileWithMeta(join(s.guest, 'a'), CONTENT, META);
  writeFileWithMeta(join(s.guest, 'b'), CONTENT, META);
  const result = await runVhashify(s, ['-v'], { VHASHIFY_HINTS: '1' });
  assert.equal(result.code, 0);
  assert.equal(
    result.stderr.toString(),
    "vhashify: protection 'none': shared files are plain hard links; an in-place write in one guest shows in every guest sharing the file.\n",
  );
  assert.equal(statOf(join(s.guest, 'a')).ino, statOf(join(s.guest, 'b')).ino);
});

test('a protect file saying immutable locks the shared entries with chattr +i', async () => {
  const s = createSandbox();
  writeFileSync(join(s.hashDir, 'protect'), 'immutable\n');
  writeFileWithMeta(join(s.guest, 'a'), CONTENT, META);
  writeFileWithMeta(join(s.guest, 'b'), CONTENT, META);
  try {
    const result = await runVhashify(s, ['-vv']);
    assert.equal(result.code, 0);
    assert.equal(result.stderr.toString(), '');
    const [entry] = listEntries(s);
    assert.ok(entry !== undefined);
    assert.equal(statOf(join(s.guest, 'a')).ino, statOf(entry).ino);
    assert.equal(statOf(join(s.guest, 'b')).ino, statOf(entry).ino);
    const lsattr = spawnSync('lsattr', ['-d', entry], { encoding: 'utf8' });
    assert.ok(lsattr.stdout.split(' ')[0]!.includes('i'), lsattr.stdout);
    assert.throws(() => appendFileSync(join(s.guest, 'a'), 'tampering'), { code: 'EPERM' });
  } finally {
    spawnSync('chattr', ['-R', '-i', s.dir]);
  }
});

test('a protect file with an unknown word is an error naming the file, before anything is created', async () => {
  const s = createSandbox();
  writeFileSync(join(s.hashDir, 'protect'), 'junk\n');
  writeFileWithMeta(join(s.guest, 'a'), CONTENT, META);
  const before = listTree(s.dir);
  const result = await runVhashify(s, ['-vv']);
  assert.equal(result.code, 1);
  assert.equal(result.stdout.toString(), '');
  assert.equal(
    result.stderr.toString(),
    `vhashify: ${s.hashDir}/protect: unknown protection policy 'junk'\n` +
      'Write one of: auto, vserver, immutable, none (one word) into that file.\n',
  );
  assert.deepEqual(listTree(s.dir), before);
  // The command line wins over the file.
  const overridden = await runVhashify(s, ['--protect', 'none']);
  assert.equal(overridden.code, 0);
  assert.equal(statOf(join(s.guest, 'a')).nlink, 2n);
});

test('--protect vserver on a stock kernel skips every candidate as operation not supported, like upstream', async (t) => {
  if (hasVserverKernel()) return t.skip('this kernel has Linux-VServer support');
  const s = createSandbox();
  writeFileWithMeta(join(s.guest, 'a'), CONTENT, META);
  writeFileWithMeta(join(s.guest, 'b'), CONTENT, META);
  writeFileWithMeta(join(s.guest, 'small'), 'fifteen bytes!!', META);
  assert.equal(spawnSync('mkfifo', [join(s.guest, 'fifo')]).status, 0);
  symlinkSync('a', join(s.guest, 'link'));
  mkdirSync(join(s.guest, 'sub'));
  writeFileWithMeta(join(s.guest, 'sub', 'c'), CONTENT, META);
  const guestBefore = listTree(s.guest);
  const order = readRawNames(s.guest);
  const result = await runVhashify(s, ['--protect', 'vserver', '-vv']);
  assert.equal(result.code, 0);
  assert.equal(result.stderr.toString(), '');
  const reasons: Record<string, string | undefined> = {
    a: 'operation not supported', b: 'operation not supported', small: 'too small', fifo: 'non regular file', link: undefined,
  };
  const expected = order.map((name) => {
    if (name.toString() === 'sub') return "  skipping '/sub/c' (operation not supported)\n";
    const reason = reasons[name.toString()];
    return reason === undefined ? '' : `  skipping '/${name}' (${reason})\n`;
  });
  assert.equal(result.stdout.toString(), header(s) + expected.join(''));
  assert.deepEqual(listTree(s.guest), guestBefore, 'nothing linked');
  assert.deepEqual(listEntries(s), []);
  assert.equal(readFileSync(join(s.hashDir, 'method'), 'utf8'), 'sha256\n', 'config files are still created');
  assert.equal(readFileSync(join(s.hashDir, 'blocks'), 'utf8'), 'all\n');
});

test('a dry run prints the unifying lines even at level 0 and creates nothing anywhere', async () => {
  const s = createSandbox();
  writeFileWithMeta(join(s.guest, 'a'), CONTENT, META);
  writeFileWithMeta(join(s.guest, 'b'), CONTENT, META);
  mkdirSync(join(s.guest, 'sub'));
  writeFileWithMeta(join(s.guest, 'sub', 'c'), CONTENT, { ...META, uid: 2000 });
  const before = listTree(s.dir);
  const order = readRawNames(s.guest);
  const result = await runVhashify(s, ['--protect', 'none', '-n']);
  assert.equal(result.code, 0);
  assert.equal(result.stderr.toString(), '');
  const expected = order.map((name) => (name.toString() === 'sub' ? "unifying   '/sub/c'\n" : `unifying   '/${name}'\n`));
  assert.equal(result.stdout.toString(), expected.join(''));
  assert.deepEqual(listTree(s.dir), before);
  assert.ok(!existsSync(s.cache));
  assert.ok(!existsSync(join(s.hashDir, 'method')));
});

test('a directory swapped during the run is skipped with safeChdir(), the rest is processed, and the exit status is 1', async () => {
  const s = createSandbox();
  writeFileWithMeta(join(s.guest, 'a'), CONTENT, META);
  mkdirSync(join(s.guest, 'victim'));
  writeFileWithMeta(join(s.guest, 'victim', 'x'), CONTENT, META);
  mkdirSync(join(s.guest, 'z'));
  writeFileWithMeta(join(s.guest, 'z', 'y'), CONTENT, META);
  const order = readRawNames(s.guest);
  const result = await withSwapAfterLstat('victim', () => {
    renameSync(join(s.guest, 'victim'), join(s.dir, 'moved-away'));
    mkdirSync(join(s.guest, 'victim'));
    writeFileWithMeta(join(s.guest, 'victim', 'planted'), CONTENT, META);
  }, () => runVhashify(s, ['--protect', 'none', '-vv']));
  assert.equal(result.code, 1);
  assert.equal(
    result.stderr.toString(),
    "safeChdir(): Invalid argument\nvhashify: could not enter '/victim'; it was skipped and the run ends with status 1\n",
  );
  const expected = order.map((name) => ({ a: "unifying   '/a'\n", z: "unifying   '/z/y'\n" } as Record<string, string>)[name.toString()] ?? '');
  assert.equal(result.stdout.toString(), header(s) + expected.join(''));
  const [entry] = listEntries(s);
  assert.ok(entry !== undefined);
  assert.equal(statOf(join(s.guest, 'a')).ino, statOf(entry).ino);
  assert.equal(statOf(join(s.guest, 'z', 'y')).ino, statOf(entry).ino);
  assert.equal(statOf(join(s.dir, 'moved-away', 'x')).nlink, 1n, 'the directory the walk saw was not entered');
  assert.equal(statOf(join(s.guest, 'victim', 'planted')).nlink, 1n, 'the planted directory was not entered');
});

test('an unreadable directory (without root\'s DAC override) is skipped, the rest is processed, exit status 1', () => {
  const s = createSandbox();
  writeFileWithMeta(join(s.guest, 'a'), CONTENT, META);
  mkdirSync(join(s.guest, 'locked'));
  writeFileWithMeta(join(s.guest, 'locked', 'x'), CONTENT, META);
  chmodSync(join(s.guest, 'locked'), 0o000);
  mkdirSync(join(s.guest, 'z'));
  writeFileWithMeta(join(s.guest, 'z', 'y'), CONTENT, META);
  // The bin shim in a child whose capability bounding set lacks the DAC overrides: root that cannot read mode 000.
  const child = spawnSync('setpriv', [
    '--bounding-set', '-dac_override,-dac_read_search', '--',
    process.execPath, binPath, '--protect', 'none', '--manually', '--destination', s.hashDir, '-vv', s.guest, s.exclude,
  ], { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', VHASHIFY_CACHE_DIR: s.cache, VHASHIFY_HINTS: '0' } });
  chmodSync(join(s.guest, 'locked'), 0o755);
  assert.equal(child.status, 1, child.stderr.toString());
  assert.equal(
    child.stderr.toString(),
    "chdir(): Permission denied\nvhashify: could not enter '/locked'; it was skipped and the run ends with status 1\n",
  );
  assert.equal(statOf(join(s.guest, 'a')).nlink, 3n, 'a, z/y and their entry');
  assert.equal(statOf(join(s.guest, 'z', 'y')).ino, statOf(join(s.guest, 'a')).ino);
  assert.equal(statOf(join(s.guest, 'locked', 'x')).nlink, 1n);
});

test('names with a newline or invalid UTF-8 are linked and printed as raw bytes', async () => {
  const s = createSandbox();
  const names = [Buffer.from('line\nbreak'), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from('plain')];
  for (const name of names) writeFileWithMeta(Buffer.concat([Buffer.from(`${s.guest}/`), name]), CONTENT, META);
  const order = readRawNames(s.guest);
  const result = await runVhashify(s, ['--protect', 'none', '-vv']);
  assert.equal(result.code, 0);
  assert.equal(result.stderr.toString(), '');
  const expected = Buffer.concat([
    Buffer.from(header(s)),
    ...order.flatMap((name) => [Buffer.from("unifying   '/"), name, Buffer.from("'\n")]),
  ]);
  assert.ok(result.stdout.equals(expected), `got ${JSON.stringify(result.stdout.toString('latin1'))}`);
  const [entry] = listEntries(s);
  assert.ok(entry !== undefined);
  for (const name of names) {
    assert.equal(statOf(Buffer.concat([Buffer.from(`${s.guest}/`), name])).ino, statOf(entry).ino, name.toString('hex'));
  }
});

test('a real run refuses a hash dir whose entry leads to itself or above it, or that holds digest directories, and writes nothing', async () => {
  const cases: Array<[string, (s: Sandbox) => void, RegExp]> = [
    ['root -> .', (s) => symlinkSync('.', join(s.hashDir, 'self')), /storage root '.*\/hash\/self' leads to '.*\/hash', which holds the hash dir/],
    ['root -> ..', (s) => symlinkSync('..', join(s.hashDir, 'up')), /storage root '.*\/hash\/up' leads to '.*', which holds the hash dir/],
    ['00 and 3f', (s) => ['00', '3f'].forEach((d) => mkdirSync(join(s.hashDir, d))), /holds digest directories \('00', '3f'\.\.\.\)/],
  ];
  for (const [what, plant, message] of cases) {
    const s = createSandbox();
    writeFileWithMeta(join(s.guest, 'a'), CONTENT, META);
    writeFileWithMeta(join(s.guest, 'b'), CONTENT, META);
    plant(s);
    const before = listTree(s.dir);
    const result = await runVhashify(s, ['--protect', 'none', '-vv']);
    assert.equal(result.code, 1, what);
    assert.equal(result.stdout.toString(), '', what);
    assert.match(result.stderr.toString(), message, what);
    assert.match(result.stderr.toString(), /nothing was changed\.\nFix: .*\n$/, what);
    assert.deepEqual(listTree(s.dir), before, `${what}: no method, blocks, entry, cache or guest change`);
    const dry = await runVhashify(s, ['--protect', 'none', '-n', '-vv']);
    assert.equal(dry.code, 0, `${what}: a dry run keeps upstream's behaviour`);
    assert.ok(!dry.stderr.toString().includes('nothing was changed'), what);
  }
});

test('a real run refuses an exclude list that is missing or cannot be read, naming it, and touches nothing', async () => {
  for (const [what, prepare] of [
    ['missing', (s: Sandbox) => rmSync(s.exclude)],
    ['a directory', (s: Sandbox) => { rmSync(s.exclude); mkdirSync(s.exclude); }],
  ] as const) {
    const s = createSandbox();
    writeFileWithMeta(join(s.guest, 'a'), CONTENT, META);
    writeFileWithMeta(join(s.guest, 'b'), CONTENT, META);
    prepare(s);
    const before = listTree(s.dir);
    const result = await runVhashify(s, ['--protect', 'none', '-vv']);
    assert.equal(result.code, 1, what);
    assert.equal(result.stdout.toString(), '');
    // Upstream stops with its own message on a list it can open but not read; a missing one it obeys.
    const expected = what === 'missing'
      ? `vhashify: exclude list '${s.exclude}' cannot be read (No such file or directory); nothing was changed.`
      : 'read(): Is a directory';
    assert.equal(result.stderr.toString().split('\n')[0], expected);
    assert.deepEqual(listTree(s.dir), before, `${what}: nothing touched`);
  }
  // An existing empty file is an empty list, and '' means no list: both run.
  const s = createSandbox();
  writeFileWithMeta(join(s.guest, 'a'), CONTENT, META);
  assert.equal((await runVhashify(s, ['--protect', 'none'])).code, 0);
  const none = await main(['--protect', 'none', '--manually', '--destination', s.hashDir, s.guest, ''], {
    argv0: 'vhashify', cwd: s.dir, env: { VHASHIFY_CACHE_DIR: s.cache, VHASHIFY_HINTS: '0' }, out: createCapture().out,
  });
  assert.equal(none, 0);
});
