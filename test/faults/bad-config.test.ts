// Issue 4.5, configuration half: bad guest paths, exclude lists, method and blocks files, storage
// roots and hash dirs get upstream's message and exit status, and damage nothing.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createFaultMount, createFaultSite, removeFaultMount, type FaultSite } from './fault-site.js';
import { formatManualArgs, runProduct } from './spawn-product.js';
import { readStore } from './store-audit.js';
import { readTreeSnapshot } from './tree-snapshot.js';
import { writeFileWithMeta } from '../unify/file-fixture.js';

const META = { uid: 0, gid: 0, mode: 0o644, mtime: new Date(1_500_000_000_000) };
const CONTENT = 'twenty bytes or more of shared content\n';

let mount = '';
before(() => {
  process.umask(0o022);
  mount = createFaultMount('config', '64m');
});
after(() => removeFaultMount(mount));

let sites = 0;
function createGuestSite(): FaultSite {
  const site = createFaultSite(mount, `s${sites++}`);
  for (const name of ['a', 'b', 'c']) writeFileWithMeta(join(site.guest, name), CONTENT, META);
  return site;
}

/** A case: how to break the site, the guest and hash dir to use, and what upstream prints. */
interface BadCase {
  title: string;
  prepare(site: FaultSite): { guest?: string; hashDir?: string; exclude?: string };
  stderr: (site: FaultSite, hashDir: string) => Buffer;
  exitCode: number;
}

const CASES: BadCase[] = [
  {
    title: 'a guest directory that is a dangling symlink',
    prepare: (s) => (symlinkSync('/nonexistent/guest', join(s.dir, 'gone')), { guest: join(s.dir, 'gone') }),
    stderr: () => Buffer.from('chdir(): No such file or directory\n'),
    exitCode: 1,
  },
  {
    title: 'a guest directory that is a symlink loop',
    prepare: (s) => (symlinkSync('loop', join(s.dir, 'loop')), { guest: join(s.dir, 'loop') }),
    stderr: () => Buffer.from('chdir(): Too many levels of symbolic links\n'),
    exitCode: 1,
  },
  {
    title: 'a guest directory that is a file',
    prepare: (s) => (writeFileSync(join(s.dir, 'file'), CONTENT), { guest: join(s.dir, 'file') }),
    stderr: () => Buffer.from('chdir(): Not a directory\n'),
    exitCode: 1,
  },
  {
    title: 'an exclude list that is a directory',
    prepare: (s) => (mkdirSync(join(s.dir, 'exdir')), { exclude: join(s.dir, 'exdir') }),
    stderr: () => Buffer.from('read(): Is a directory\n'),
    exitCode: 1,
  },
  {
    title: 'a method file with junk bytes',
    prepare: (s) => (writeFileSync(join(s.hashDir, 'method'), Buffer.from('\xff\x01junk\r\n', 'latin1')), {}),
    stderr: () => Buffer.from("Can not find hash-function '\xff\x01junk\r'\nfailed to initialize hash-configuration\n", 'latin1'),
    exitCode: 1,
  },
  {
    title: 'a blocks file with junk',
    prepare: (s) => (writeFileSync(join(s.hashDir, 'blocks'), Buffer.from('all, junk\xfe\n', 'latin1')), {}),
    stderr: () => Buffer.from("Invalid block descriptor 'junk\xfe'\nfailed to initialize hash-configuration\n", 'latin1'),
    exitCode: 1,
  },
  {
    title: 'a storage root that is a dangling symlink',
    prepare: (s) => {
      rmSync(s.root, { recursive: true });
      symlinkSync('/nonexistent/store', s.root.slice(0, -1));
      return {};
    },
    stderr: (s) => Buffer.from(`Could not find a place for the hashified files at '${s.hashDir}'.\n`),
    exitCode: 1,
  },
  {
    title: 'a hash dir that is a file',
    prepare: (s) => (writeFileSync(join(s.dir, 'hashfile'), 'sha256\n'), { hashDir: join(s.dir, 'hashfile') }),
    stderr: () => Buffer.from('open(): Not a directory\n'),
    exitCode: 1,
  },
];

for (const c of CASES) {
  test(`${c.title} gets upstream's message and exit status, and nothing is changed`, async (t) => {
    const site = createGuestSite();
    const chosen = c.prepare(site);
    const hashDir = chosen.hashDir ?? site.hashDir;
    const before = readTreeSnapshot(site.dir);
    const args = formatManualArgs({ hashDir, exclude: chosen.exclude ?? site.exclude }, chosen.guest ?? site.guest, ['-v']);
    const result = await runProduct(args, { cacheDir: join(mount, 'cache') });
    t.diagnostic(`exit ${result.code}, stderr ${JSON.stringify(result.stderr.toString('latin1'))}`);
    assert.equal(result.code, c.exitCode);
    assert.deepEqual(result.stderr, c.stderr(site, hashDir), 'stderr is upstream\'s, byte for byte');
    assert.deepEqual([...readTreeSnapshot(site.dir, before)], [...before], 'the guest and the hash dir are exactly as before');
  });
}

test('an exclude list with invalid UTF-8 and a NUL byte works, with upstream\'s quirks (Q10: the list ends at the NUL)', async (t) => {
  const site = createGuestSite();
  const names = ['\xff\xfe-excluded', 'keep\xc3', '\xc3\xa9t\xc3\xa9', 'qa', 'q\xc3\xa9', 'after-nul', 'later'];
  for (const name of names) writeFileWithMeta(Buffer.from(join(site.guest, name), 'latin1'), CONTENT, META);
  // `?` is one byte: /q? excludes `qa`, not the two-byte `qé`. `+` includes; the first match wins.
  writeFileSync(site.exclude, Buffer.from('/\xff\xfe*\n+/keep\xc3\n/\xc3*\n/k*\n/q?\n/after\x00-nul\n/later\n', 'latin1'));
  const result = await runProduct(formatManualArgs(site, site.guest, ['-vv']), { cacheDir: site.cache });
  assert.equal(result.code, 0);
  assert.equal(result.stderr.toString(), '');
  const lines = result.stdout.toString('latin1').split('\n').filter((l) => l.startsWith('  skipping') || l.startsWith('unifying'));
  const expected = [
    "  skipping '/\xff\xfe-excluded' (excluded)",
    "unifying   '/keep\xc3'",
    "  skipping '/\xc3\xa9t\xc3\xa9' (excluded)",
    "  skipping '/qa' (excluded)",
    "unifying   '/q\xc3\xa9'",
    "unifying   '/after-nul'",
    "unifying   '/later'",
    "unifying   '/a'",
    "unifying   '/b'",
    "unifying   '/c'",
  ];
  t.diagnostic(`stdout lines: ${JSON.stringify(lines)}`);
  assert.deepEqual([...lines].sort(), [...expected].sort());
  assert.equal(readStore(site.root).entries.length, 1, 'everything unified went to one entry');
  assert.equal(readFileSync(Buffer.from(join(site.guest, '\xff\xfe-excluded'), 'latin1'), 'utf8'), CONTENT);
});
