// --totals, --json and --all's lines, against counts this test makes itself from the trees (inodes,
// blocks) before and after each run; the progress line on a pseudo-terminal and never on a pipe.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync, type BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli/main.js';
import type { Output } from '../../src/report/output.js';
import { createSandboxInstallation, type SandboxInstallation } from '../config/sandbox-installation.js';
import { validateJsonSchema } from '../support/json-schema-check.js';
import { binPath, repoRoot } from '../support/paths.js';
import { createProductEnvironment } from '../support/run-cli.js';
import { createTmpfsAt, createTmpfsDir, removeTmpfsDir } from '../store/tmpfs-fixture.js';
import { writeFileWithMeta, type FileMeta } from '../unify/file-fixture.js';

const META: FileMeta = { uid: 1000, gid: 100, mode: 0o644, mtime: new Date(1_400_000_000_000) };
const CONTENT_A = 'a'.repeat(10_000);
const CONTENT_B = 'b'.repeat(5_000);
const schema = JSON.parse(readFileSync(join(repoRoot, 'man', 'vhashify-json.schema.json'), 'utf8')) as Record<string, never>;

let base = '';
let counter = 0;
before(() => {
  process.umask(0o022);
  base = createTmpfsDir('report-run');
});
after(() => {
  if (base !== '') removeTmpfsDir(base);
});

/** A guest with something of every kind: copies of one file, a hard-linked pair and a copy of it, a unique file, a small one, a link, an excluded copy. */
function fillGuest(dir: string): void {
  mkdirSync(join(dir, 'sub'), { recursive: true });
  mkdirSync(join(dir, 'empty'));
  for (const name of ['a', 'b', 'sub/c']) writeFileWithMeta(join(dir, name), CONTENT_A, META);
  writeFileWithMeta(join(dir, 'h1'), CONTENT_B, META);
  linkSync(join(dir, 'h1'), join(dir, 'h2'));
  writeFileWithMeta(join(dir, 'x3'), CONTENT_B, META);
  writeFileWithMeta(join(dir, 'u'), 'u'.repeat(20_000), META);
  writeFileWithMeta(join(dir, 'tiny'), 'tiny', META);
  symlinkSync('a', join(dir, 'link'));
  writeFileWithMeta(join(dir, 'skip.me'), CONTENT_A, META);
}

/** Entries of the guest the exclude list leaves out. */
const EXCLUDED = ['/skip.me'];

interface Sandbox {
  dir: string;
  guest: string;
  hashDir: string;
  store: string;
  exclude: string;
  cache: string;
}

function createManualSandbox(): Sandbox {
  const dir = join(base, `s${counter++}`);
  const s = { dir, guest: join(dir, 'guest'), hashDir: join(dir, 'hash'), store: join(dir, 'hash', 'root'), exclude: join(dir, 'exclude'), cache: join(dir, 'cache') };
  mkdirSync(s.guest, { recursive: true });
  mkdirSync(s.store, { recursive: true });
  writeFileSync(s.exclude, `${EXCLUDED.join('\n')}\n`);
  fillGuest(s.guest);
  return s;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function runMain(argv: string[], env: Record<string, string>, cwd: string): Promise<Run> {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const bytes = (text: string | Buffer): Buffer => Buffer.from(text);
  const out: Output = { out: (t) => stdout.push(bytes(t)), err: (t) => stderr.push(bytes(t)), flush: () => undefined };
  const code = await main(['--protect', 'none', ...argv], { argv0: 'vhashify', cwd, env: { VHASHIFY_HINTS: '0', ...env }, out });
  return { code, stdout: Buffer.concat(stdout).toString('latin1'), stderr: Buffer.concat(stderr).toString('latin1') };
}

function runManual(s: Sandbox, options: string[]): Promise<Run> {
  return runMain(['--manually', '--destination', s.hashDir, ...options, s.guest, s.exclude], { VHASHIFY_CACHE_DIR: s.cache }, s.dir);
}

/** Every entry below `dir` (not following links), with its guest-style path. */
function walk(dir: string, prefix = ''): Array<{ path: string; st: BigIntStats }> {
  const found: Array<{ path: string; st: BigIntStats }> = [];
  for (const name of readdirSync(dir)) {
    const path = `${prefix}/${name}`;
    const st = lstatSync(join(dir, name), { bigint: true });
    found.push({ path, st });
    if (st.isDirectory() && !EXCLUDED.includes(path)) found.push(...walk(join(dir, name), path));
  }
  return found;
}

const inodeKey = (st: BigIntStats): string => `${st.dev}:${st.ino}`;

/** Allocated bytes of the distinct inodes among regular files. */
function allocatedOnce(stats: BigIntStats[]): bigint {
  const seen = new Map<string, bigint>();
  for (const st of stats) if (st.isFile()) seen.set(inodeKey(st), st.blocks * 512n);
  return [...seen.values()].reduce((a, b) => a + b, 0n);
}

/** What this test counts itself, for one or more guest trees and their store. */
interface Snapshot {
  scanned: number;
  regular: BigIntStats[];
  /** Regular files with their paths, per tree. */
  files: Map<string, BigIntStats>;
  storeInodes: Set<string>;
  storeEntries: number;
  /** Allocated bytes of guests and store together, each inode once. */
  allocated: bigint;
}

function takeSnapshot(guests: string[], store: string): Snapshot {
  const files = new Map<string, BigIntStats>();
  let scanned = 0;
  const everything: BigIntStats[] = [];
  for (const guest of guests) {
    for (const { path, st } of walk(guest)) {
      everything.push(st);
      if (!st.isDirectory() || EXCLUDED.includes(path)) scanned += 1;
      if (st.isFile() && !EXCLUDED.includes(path)) files.set(`${guest}${path}`, st);
    }
  }
  const storeFiles = walk(store).filter(({ st }) => st.isFile()).map(({ st }) => st);
  return {
    scanned,
    regular: [...files.values()],
    files,
    storeInodes: new Set(storeFiles.map(inodeKey)),
    storeEntries: storeFiles.length,
    allocated: allocatedOnce([...everything, ...storeFiles]),
  };
}

/** The figures a run should report, from snapshots before and after it. */
function countIndependently(before: Snapshot, after: Snapshot): Record<string, string> {
  const sum = after.regular.reduce((a, st) => a + st.blocks * 512n, 0n);
  let newlyUnified = 0;
  for (const [path, st] of after.files) {
    const earlier = before.files.get(path);
    if (after.storeInodes.has(inodeKey(st)) && (earlier === undefined || !before.storeInodes.has(inodeKey(earlier)))) newlyUnified += 1;
  }
  return {
    'files scanned': String(after.scanned),
    'newly unified': String(newlyUnified),
    'saved by this run': String(before.allocated - after.allocated),
    'saved in total': String(sum - allocatedOnce(after.regular)),
    'new store entries': String(after.storeEntries - before.storeEntries),
    inodes: String(new Set(after.regular.map(inodeKey)).size),
    regularFiles: String(after.regular.length),
  };
}

/** The `--totals` block as label → value: byte figures by their exact number, `(planned)` taken off. */
function parseTotals(stdout: string): Map<string, string> {
  const lines = stdout.split('\n');
  const start = lines.findIndex((line) => /^vhashify: (planned )?totals for /.test(line));
  assert.ok(start >= 0, stdout);
  const figures = new Map<string, string>();
  for (const line of lines.slice(start + 1)) {
    const match = /^ {2,}(\S.*?)(?: \(planned\))? {2,}(\S.*?)(?: {2}\((-?\d+) bytes\))?$/.exec(line);
    if (match === null) break;
    figures.set(match[1]!, match[3] ?? match[2]!);
  }
  return figures;
}

function pick(map: Map<string, string>, keys: string[]): Record<string, string | undefined> {
  return Object.fromEntries(keys.map((k) => [k, map.get(k)]));
}

const COUNTED = ['files scanned', 'newly unified', 'saved by this run', 'saved in total', 'new store entries'];

describe('--totals in manual mode', () => {
  it('prints figures equal to the test\'s own count of inodes and blocks, after upstream\'s lines', async () => {
    const s = createManualSandbox();
    const before = takeSnapshot([s.guest], s.store);
    const plain = await runManual(createManualSandbox(), ['-v']);
    const run = await runManual(s, ['--totals', '-v']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    const totals = parseTotals(run.stdout);
    const expected = countIndependently(before, takeSnapshot([s.guest], s.store));
    assert.deepEqual(pick(totals, COUNTED), pick(new Map(Object.entries(expected)), COUNTED));
    assert.ok(BigInt(totals.get('saved by this run')!) > 0n, 'the copies of a and of h1 were released');
    assert.deepEqual(pick(totals, ['eligible', 'already unified', 'skipped', 'excluded', 'too small', 'symlink', 'errors']), {
      eligible: '7', 'already unified': '0', skipped: '3', excluded: '1', 'too small': '1', symlink: '1', errors: '0',
    });
    // Upstream's lines come first, unchanged (same lines as a run without --totals, paths aside).
    const upstream = run.stdout.slice(0, run.stdout.indexOf('vhashify: totals for'));
    assert.equal(upstream.replaceAll(s.guest, 'G'), plain.stdout.replace(/\/[^\n]*\/guest/g, 'G'));
    assert.match(run.stdout, /\n {2}elapsed +\d+\.\d\d s\n$/);
  });

  it('prints the same figures in a dry run, labelled as planned, as the real run after it', async () => {
    const s = createManualSandbox();
    const dry = await runManual(s, ['-n', '--totals']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^vhashify: planned totals for '.*' \(dry run: nothing was changed\)$/m);
    assert.match(dry.stdout, /^ {2}newly unified \(planned\) +7$/m);
    const real = await runManual(s, ['--totals']);
    const planned = parseTotals(dry.stdout);
    const done = parseTotals(real.stdout);
    planned.delete('elapsed');
    done.delete('elapsed');
    assert.deepEqual(planned, done);
  });

  it('reports a second run as all already unified and nothing saved by it, the total unchanged', async () => {
    const s = createManualSandbox();
    const first = parseTotals((await runManual(s, ['--totals'])).stdout);
    const before = takeSnapshot([s.guest], s.store);
    const second = parseTotals((await runManual(s, ['--totals'])).stdout);
    assert.deepEqual(pick(second, ['newly unified', 'already unified', 'saved by this run', 'new store entries']), {
      'newly unified': '0', 'already unified': '7', 'saved by this run': '0', 'new store entries': '0',
    });
    assert.equal(second.get('saved in total'), first.get('saved in total'));
    assert.equal(second.get('saved in total'), countIndependently(before, takeSnapshot([s.guest], s.store))['saved in total']);
  });

  it('counts sledgehammer mode\'s entries, the files\' own inodes, as saving what the trees say', async () => {
    const s = createManualSandbox();
    const before = takeSnapshot([s.guest], s.store);
    const run = await runManual(s, ['--sledgehammer', '--totals']);
    assert.equal(run.code, 0, run.stderr);
    const expected = countIndependently(before, takeSnapshot([s.guest], s.store));
    assert.deepEqual(pick(parseTotals(run.stdout), COUNTED), pick(new Map(Object.entries(expected)), COUNTED));
  });

  it('agrees with du: every link counted minus each inode once', async (t) => {
    if (spawnSync('du', ['--version'], { stdio: 'ignore' }).status !== 0) return t.skip('no du');
    const s = createManualSandbox();
    writeFileSync(s.exclude, '');
    const run = await runManual(s, ['--totals']);
    const du = (args: string[]): bigint => BigInt(spawnSync('du', [...args, s.guest], { encoding: 'utf8' }).stdout.split('\t')[0]!);
    assert.equal(BigInt(parseTotals(run.stdout).get('saved in total')!), du(['-slB1']) - du(['-sB1']));
  });
});

describe('--json', () => {
  it('prints nothing but one document on stdout at any -v level, valid against the shipped schema, with the test\'s counts', async () => {
    const s = createManualSandbox();
    const before = takeSnapshot([s.guest], s.store);
    const run = await runManual(s, ['--json', '-vvvv', '--totals']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    const document = JSON.parse(run.stdout);
    assert.equal(document.report, 'run');
    assert.deepEqual(validateJsonSchema(schema, document), []);
    const expected = countIndependently(before, takeSnapshot([s.guest], s.store));
    const t = document.totals;
    assert.deepEqual(
      [t.scanned, t.newlyUnified, t.savedByRunBytes, t.savedTotalBytes, t.newEntries, t.inodes, t.regularFiles].map(String),
      [expected['files scanned'], expected['newly unified'], expected['saved by this run'], expected['saved in total'],
        expected['new store entries'], expected['inodes'], expected['regularFiles']],
    );
    assert.deepEqual(t.skipped, { excluded: 1, 'too small': 1, symlink: 1 });
    // New entries were copied, so at least one sync put them on disk; syncs are batched, never one per entry more.
    assert.ok(t.newEntries > 0 && t.durableSyncs >= 1 && t.durableSyncs <= t.newEntries, JSON.stringify(t));
    assert.equal(typeof t.durableWaitSeconds, 'number');
    assert.equal(document.mode, 'manual');
    assert.deepEqual(document.guests.map((g: { root: string; name: null; status: string }) => [g.root, g.name, g.status]), [[s.guest, null, 'done']]);
    assert.deepEqual(document.guests[0].figures, t);
  });

  it('keeps errors on stderr and the exit status, with a document saying what failed', async () => {
    const s = createManualSandbox();
    const run = await runMain(['--json', '--manually', '--destination', s.hashDir, s.guest], { VHASHIFY_CACHE_DIR: s.cache }, s.dir);
    assert.equal(run.code, 1);
    assert.equal(run.stderr, 'No exclude list specified\n');
    const document = JSON.parse(run.stdout);
    assert.deepEqual(validateJsonSchema(schema, document), []);
    assert.deepEqual([document.exitCode, document.totals, document.guests[0].status, document.guests[0].figures], [1, null, 'failed', null]);
  });
});

/** An installation with guests on one tmpfs beside their store, and a shared exclude list and hash dir. */
function createInstallation(guests: string[]): SandboxInstallation & { store: string } {
  const inst = createSandboxInstallation('vhashify-report-run-');
  createTmpfsAt(join(inst.top, 'vservers'));
  const store = inst.mkdir('vservers/.hash');
  inst.write('etc/vservers/.defaults/apps/vunify/exclude', `${EXCLUDED.join('\n')}\n`);
  inst.write('etc/vservers/.defaults/apps/vunify/pkgmgmt-ignore');
  inst.mkdir('etc/vservers/.defaults/apps/vunify/hash');
  symlinkSync(store, join(inst.confDir, '.defaults/apps/vunify/hash/root'));
  for (const name of guests) fillGuest(inst.addGuest(name).root);
  return { ...inst, store };
}

function removeInstallation(inst: SandboxInstallation): void {
  spawnSync('umount', [join(inst.top, 'vservers')]);
  inst.remove();
}

function runInstalled(inst: SandboxInstallation, argv: string[]): Promise<Run> {
  return runMain(argv, { UTIL_VSERVER_VARS: inst.varsFile, VHASHIFY_CACHE_DIR: join(inst.top, 'cache') }, inst.top);
}

describe('--totals in vserver mode', () => {
  it('names the guest and its tree and counts as in manual mode', async () => {
    const inst = createInstallation(['g1']);
    try {
      const root = join(inst.vserverDir, 'g1');
      const before = takeSnapshot([root], inst.store);
      const run = await runInstalled(inst, ['--totals', 'g1']);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout.split('\n')[0], `vhashify: totals for guest 'g1' (${root})`);
      const expected = countIndependently(before, takeSnapshot([root], inst.store));
      assert.deepEqual(pick(parseTotals(run.stdout), COUNTED), pick(new Map(Object.entries(expected)), COUNTED));
    } finally {
      removeInstallation(inst);
    }
  });
});

describe('--all', () => {
  const guests = ['g1', 'g2'];
  /** g3 opted in but broken (its vdir leads nowhere): it fails, the others go on. */
  function addBrokenGuest(inst: SandboxInstallation): void {
    inst.mkdir('etc/vservers/g3/apps/vunify');
    symlinkSync(join(inst.top, 'nowhere'), join(inst.confDir, 'g3', 'vdir'));
  }

  it('prints nothing at -v 0 when every guest went well, and only the failed guest\'s lines otherwise', async () => {
    const inst = createInstallation(guests);
    try {
      const healthy = await runInstalled(inst, ['--all']);
      assert.deepEqual(healthy, { code: 0, stdout: '', stderr: '' });
      addBrokenGuest(inst);
      const broken = await runInstalled(inst, ['--all']);
      assert.equal(broken.code, 1);
      assert.equal(broken.stdout, '');
      assert.match(broken.stderr, /^Failed to initialize unification for vserver\n(.*\n)*vhashify: guest 'g3' failed \(exit status 1\)\n$/);
    } finally {
      removeInstallation(inst);
    }
  });

  it('with --totals prints a line per guest that went well and the block for all guests, counted as the trees say', async () => {
    const inst = createInstallation(guests);
    try {
      addBrokenGuest(inst);
      const roots = guests.map((g) => join(inst.vserverDir, g));
      const before = takeSnapshot(roots, inst.store);
      const run = await runInstalled(inst, ['--totals', '--all']);
      assert.equal(run.code, 1);
      const lines = run.stdout.split('\n');
      assert.match(lines[0]!, /^vhashify: guest 'g1' done: 7 newly unified, 0 already unified, 0 errors; saved \S+ \S+ by this run, \S+ \S+ in total$/);
      assert.match(lines[1]!, /^vhashify: guest 'g2' done: 7 newly unified, 0 already unified, 0 errors; saved /);
      assert.equal(lines[2], 'vhashify: totals for all 3 guests (1 failed)');
      const expected = countIndependently(before, takeSnapshot(roots, inst.store));
      assert.deepEqual(pick(parseTotals(run.stdout), COUNTED), pick(new Map(Object.entries(expected)), COUNTED));
      assert.match(run.stderr, /vhashify: guest 'g3' failed \(exit status 1\)\n$/);
    } finally {
      removeInstallation(inst);
    }
  });

  it('with -v prints each guest\'s lines, its line, and one line for all at the end', async () => {
    const inst = createInstallation(guests);
    try {
      const run = await runInstalled(inst, ['-v', '--all']);
      assert.equal(run.code, 0, run.stderr);
      const ours = run.stdout.split('\n').filter((line) => line.startsWith('vhashify: '));
      assert.equal(ours.length, 3);
      assert.match(ours[2]!, /^vhashify: all guests: 2 guests hashified, 0 failed; 14 newly unified, 0 already unified, 0 errors; saved /);
      const g2Start = run.stdout.indexOf(`Initializing exclude-list for ${join(inst.vserverDir, 'g2')} (g2)`);
      assert.ok(run.stdout.indexOf("vhashify: guest 'g1'") < g2Start, "g1's line comes before g2's lines");
      assert.ok(run.stdout.endsWith(`${ours[2]}\n`));
    } finally {
      removeInstallation(inst);
    }
  });

  it('with --json gives per-guest results and totals that count the sharing between guests', async () => {
    const inst = createInstallation(guests);
    try {
      addBrokenGuest(inst);
      const roots = guests.map((g) => join(inst.vserverDir, g));
      const before = takeSnapshot(roots, inst.store);
      const run = await runInstalled(inst, ['--json', '--all']);
      assert.equal(run.code, 1);
      const document = JSON.parse(run.stdout);
      assert.deepEqual(validateJsonSchema(schema, document), []);
      const all = countIndependently(before, takeSnapshot(roots, inst.store));
      assert.equal(String(document.totals.savedTotalBytes), all['saved in total']);
      assert.equal(String(document.totals.savedByRunBytes), all['saved by this run']);
      for (const [index, root] of roots.entries()) {
        const own = countIndependently(takeSnapshot([], inst.store), takeSnapshot([root], inst.store));
        assert.equal(String(document.guests[index].figures.savedTotalBytes), own['saved in total'], `${guests[index]} alone`);
      }
      assert.ok(document.totals.savedTotalBytes > document.guests[0].figures.savedTotalBytes + document.guests[1].figures.savedTotalBytes,
        'what the guests share with each other counts only for all of them together');
      assert.deepEqual(document.guests.map((g: { name: string; status: string; exitCode: number }) => [g.name, g.status, g.exitCode]),
        [['g1', 'done', 0], ['g2', 'done', 0], ['g3', 'failed', 1]]);
      assert.equal(document.guests[2].figures, null);
    } finally {
      removeInstallation(inst);
    }
  });
});

/** Runs the installed command on a pseudo-terminal (script(1)); what the terminal received. */
function runOnTerminal(command: string[], env: Record<string, string>): Promise<{ code: number; screen: string }> {
  const quoted = command.map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(' ');
  const child = spawn('script', ['-qfec', quoted, '/dev/null'], { env: createProductEnvironment({ TERM: 'xterm', ...env }), stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, screen: Buffer.concat(chunks).toString('latin1') }));
  });
}

const ESC = '\u001b';
/** cli-progress' drawings: from saving the cursor to erasing the line after restoring it. */
const drawing = (): RegExp => new RegExp(`${ESC}7[^]*?${ESC}8${ESC}\\[1G${ESC}\\[2K`, 'g');

describe('progress line', { skip: spawnSync('script', ['--version'], { stdio: 'ignore' }).status !== 0 ? 'script(1) is not installed' : false }, () => {
  it('appears on a terminal at -v 0, with files, bytes and rate, and is cleared at the end', async () => {
    const s = createManualSandbox();
    const args = [process.execPath, binPath, '--protect', 'none', '--manually', '--destination', s.hashDir, s.guest, s.exclude];
    const run = await runOnTerminal(args, { VHASHIFY_CACHE_DIR: s.cache, VHASHIFY_HINTS: '0' });
    assert.equal(run.code, 0, run.screen);
    assert.match(run.screen, new RegExp(`vhashify: ${s.guest}: \\d+ files, [\\d.]+ [KM]?i?B, \\d+ files/s`));
    assert.ok(run.screen.endsWith(`${ESC}8${ESC}[1G${ESC}[2K`), JSON.stringify(run.screen.slice(-40)));
    assert.equal(run.screen.replace(drawing(), ''), '', 'nothing else was printed');
    // The second run knows the tree's count from the first: a share done.
    const again = await runOnTerminal(args, { VHASHIFY_CACHE_DIR: s.cache, VHASHIFY_HINTS: '0' });
    assert.match(again.screen, /files\/s, \d+%/);
  });

  it('never mixes into upstream\'s lines: taken out, the terminal shows exactly what a pipe gets', async () => {
    const s = createManualSandbox();
    const piped = createManualSandbox();
    const args = (t: Sandbox): string[] => ['--protect', 'none', '-n', '--manually', '--destination', t.hashDir, t.guest, t.exclude];
    const run = await runOnTerminal([process.execPath, binPath, ...args(s)], { VHASHIFY_CACHE_DIR: s.cache, VHASHIFY_HINTS: '0' });
    assert.equal(run.code, 0);
    assert.match(run.screen, drawing());
    const expected = spawnSync(process.execPath, [binPath, ...args(piped)], { env: createProductEnvironment({ VHASHIFY_CACHE_DIR: piped.cache, VHASHIFY_HINTS: '0' }) });
    assert.equal(run.screen.replace(drawing(), '').replaceAll('\r\n', '\n').replaceAll(s.guest, 'G'), expected.stdout.toString('latin1').replaceAll(piped.guest, 'G'));
  });

  it('is cleared before each error line: taken out, the terminal shows the errors a pipe gets', async () => {
    const s = createManualSandbox();
    // A file where each first-level digest directory belongs: every new entry fails with a mkdir() line.
    for (let i = 0; i < 256; i += 1) writeFileSync(join(s.store, i.toString(16).padStart(2, '0')), '');
    const args = [process.execPath, binPath, '--protect', 'none', '--manually', '--destination', s.hashDir, s.guest, s.exclude];
    const run = await runOnTerminal(args, { VHASHIFY_CACHE_DIR: s.cache, VHASHIFY_HINTS: '0' });
    assert.equal(run.code, 0);
    const errors = run.screen.replace(drawing(), '').replaceAll('\r\n', '\n');
    const piped = spawnSync(args[0]!, args.slice(1), { env: createProductEnvironment({ VHASHIFY_CACHE_DIR: s.cache, VHASHIFY_HINTS: '0' }) });
    assert.match(errors, /^(mkdir\("[^"]+"\): Not a directory\n){7}$/, 'one line for each of the 7 eligible files');
    assert.equal(errors, piped.stderr.toString('latin1'));
  });

  it('never appears on a pipe or in a file, nor from -v on', async () => {
    const s = createManualSandbox();
    const args = ['--protect', 'none', '--manually', '--destination', s.hashDir, s.guest, s.exclude];
    const piped = spawnSync(process.execPath, [binPath, ...args], { env: createProductEnvironment({ VHASHIFY_CACHE_DIR: s.cache }) });
    assert.equal(piped.status, 0);
    assert.equal(piped.stderr.toString('latin1'), '');
    const file = join(s.dir, 'stderr');
    const toFile = spawnSync('sh', ['-c', '"$@" 2>"$0"', file, process.execPath, binPath, ...args], { env: createProductEnvironment({ VHASHIFY_CACHE_DIR: s.cache }) });
    assert.equal(toFile.status, 0);
    assert.equal(readFileSync(file, 'latin1'), '');
    const verbose = await runOnTerminal([process.execPath, binPath, '-v', ...args], { VHASHIFY_CACHE_DIR: s.cache, VHASHIFY_HINTS: '0' });
    assert.equal(verbose.screen.includes(ESC), false, JSON.stringify(verbose.screen));
  });
});
