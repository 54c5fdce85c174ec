// Issue 4.5, tree half: names with newlines and invalid UTF-8, 255-byte names, paths longer than
// PATH_MAX are hashified and printed raw; unreadable directories are reported and skipped (Q34).
import assert from 'node:assert/strict';
import { chmodSync, closeSync, constants, lstatSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createFaultMount, createFaultSite, removeFaultMount, type FaultSite } from './fault-site.js';
import { formatManualArgs, runProduct } from './spawn-product.js';
import { findStoreProblems, computeEntriesByInode, readStore } from './store-audit.js';
import { parseOutputLines } from './stderr-lines.js';
import { createContent } from './synthetic-guest.js';
import { readTreeSnapshot } from './tree-snapshot.js';
import { writeFileWithMeta } from '../unify/file-fixture.js';

const META = { uid: 0, gid: 0, mode: 0o644, mtime: new Date(1_500_000_000_000) };
const CONTENT = createContent('odd-names', 2000);

let mount = '';
let sites = 0;
before(() => {
  process.umask(0o022);
  mount = createFaultMount('names', '64m');
});
after(() => removeFaultMount(mount));

function createSite(): FaultSite {
  return createFaultSite(mount, `s${sites++}`);
}

function bytes(...parts: Array<string | Buffer>): Buffer {
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
}

const ODD_NAMES = [
  bytes('line\nbreak'),
  Buffer.from([0xff, 0xfe, 0x80, 0x41]),
  bytes('x'.repeat(251), '.bin'),
  bytes('é'.repeat(127), 'z'),
  bytes("quote'and\\backslash\ttab"),
];

test('names with newlines, invalid UTF-8 and 255 bytes are hashified and printed as raw bytes', async (t) => {
  const site = createSite();
  for (const name of ODD_NAMES) {
    assert.ok(name.length <= 255);
    writeFileWithMeta(bytes(site.guest, '/', name), CONTENT, META);
  }
  const result = await runProduct(formatManualArgs(site, site.guest, ['-vv']), { cacheDir: site.cache });
  assert.equal(result.code, 0);
  assert.equal(result.stderr.toString(), '');
  for (const name of ODD_NAMES) {
    assert.ok(result.stdout.includes(bytes("unifying   '/", name, "'\n")), `raw line for ${name.toString('hex').slice(0, 40)}…`);
  }
  const entries = computeEntriesByInode(readStore(site.root));
  for (const name of ODD_NAMES) {
    const st = lstatSync(bytes(site.guest, '/', name), { bigint: true });
    assert.ok(entries.has(`${st.dev}:${st.ino}`), 'linked into the store');
  }
  const again = await runProduct(formatManualArgs(site, site.guest, ['-vvv']), { cacheDir: site.cache });
  for (const name of ODD_NAMES) assert.ok(again.stdout.includes(bytes("  skipping '/", name, "' (already unified)\n")));
  t.diagnostic(`${ODD_NAMES.length} odd names unified in one entry and reported raw, then already unified`);
});

/** Creates `depth` nested directories named `segment` below `top` through /proc/self/fd, beyond PATH_MAX. */
function createDeepTree(top: string, segment: Buffer, depth: number, leaf: Buffer): void {
  let fd = openSync(top, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    for (let i = 0; i < depth; i += 1) {
      const child = bytes(`/proc/self/fd/${fd}/`, segment);
      mkdirSync(child);
      const next = openSync(child, constants.O_RDONLY | constants.O_DIRECTORY);
      closeSync(fd);
      fd = next;
    }
    writeFileWithMeta(bytes(`/proc/self/fd/${fd}/`, leaf), CONTENT, META);
  } finally {
    closeSync(fd);
  }
}

test('a file below a path longer than 4096 bytes is hashified and its full path printed raw', async (t) => {
  const site = createSite();
  const segment = bytes('d'.repeat(120), Buffer.from([0xc3]));
  const depth = 40;
  createDeepTree(site.guest, segment, depth, bytes('leaf'));
  writeFileWithMeta(join(site.guest, 'top'), CONTENT, META);
  const deepPath = bytes(...Array.from({ length: depth }, () => bytes('/', segment)), '/leaf');
  assert.ok(deepPath.length > 4096);
  const result = await runProduct(formatManualArgs(site, site.guest, ['-vv']), { cacheDir: site.cache });
  t.diagnostic(`guest path of ${deepPath.length} bytes; exit ${result.code}`);
  assert.equal(result.code, 0);
  assert.equal(result.stderr.toString(), '');
  assert.ok(result.stdout.includes(bytes("unifying   '", deepPath, "'\n")), 'the whole deep path, raw');
  const store = readStore(site.root);
  assert.equal(store.entries.length, 1);
  assert.equal(store.entries[0]!.stat.nlink, 3n, 'the entry, /top and the deep leaf');
  assert.deepEqual(findStoreProblems(store, site.method), []);
});

test('unreadable directories (root without DAC override) are reported and skipped, the rest is hashified, exit 1', async (t) => {
  const site = createSite();
  for (const dir of ['locked', 'listless', 'open', 'open/inner-locked']) mkdirSync(join(site.guest, dir));
  for (const file of ['a', 'locked/x', 'listless/y', 'open/z', 'open/inner-locked/w']) writeFileWithMeta(join(site.guest, file), CONTENT, META);
  chmodSync(join(site.guest, 'locked'), 0o000);
  chmodSync(join(site.guest, 'listless'), 0o311);
  chmodSync(join(site.guest, 'open/inner-locked'), 0o000);
  const before = readTreeSnapshot(site.guest);
  // The bin in a process whose capability bounding set lacks the DAC overrides: root that honours mode 000.
  const result = await runProduct(formatManualArgs(site, site.guest), { cacheDir: site.cache },
    ['setpriv', '--bounding-set', '-dac_override,-dac_read_search', '--']);
  t.diagnostic(`exit ${result.code}, stderr ${JSON.stringify(result.stderr.toString())}`);
  assert.equal(result.code, 1, 'Q34 improved: the run goes on, and says so with exit status 1');
  const lines = parseOutputLines(result.stderr);
  for (const dir of ['/locked', '/listless', '/open/inner-locked']) {
    const at = lines.indexOf(`vhashify: could not enter '${dir}'; it was skipped and the run ends with status 1`);
    assert.ok(at > 0 && lines[at - 1] === 'chdir(): Permission denied', `${dir} is reported after upstream's chdir() line`);
  }
  assert.equal(lines.length, 6);
  const after = readTreeSnapshot(site.guest, before);
  for (const file of ['locked/x', 'listless/y', 'open/inner-locked/w']) assert.deepEqual(after.get(file), before.get(file), `${file} untouched`);
  assert.equal(after.get('a')!.ino, after.get('open/z')!.ino, 'the readable part was hashified');
  assert.equal(after.get('a')!.nlink, 3n);
});
