import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { findLayoutProblems, formatLayoutProblem } from '../../src/store/layout-problems.js';

const base = mkdtempSync(join(tmpdir(), 'vhashify-layout-'));
after(() => rmSync(base, { recursive: true, force: true }));
let counter = 0;

function createHashDir(): string {
  const dir = join(base, `c${counter++}`, 'hash');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'method'), 'sha1\n');
  return dir;
}

test('the documented layout (hash dir with method and an entry leading elsewhere) has no problem', () => {
  const hash = createHashDir();
  mkdirSync(join(hash, '..', 'store'));
  symlinkSync(join(hash, '..', 'store'), join(hash, 'root'));
  mkdirSync(join(hash, 'local'));
  mkdirSync(join(hash, '..', 'store', '3f'));
  assert.deepEqual(findLayoutProblems(hash), []);
});

test('an entry leading to the hash dir itself, to its parent or to / is found, with the resolved target', () => {
  const hash = createHashDir();
  symlinkSync('.', join(hash, 'root'));
  symlinkSync('..', join(hash, 'up'));
  symlinkSync('/', join(hash, 'top'));
  symlinkSync(join(base, 'nowhere'), join(hash, 'dangling'));
  const problems = findLayoutProblems(hash);
  const found = problems.map((p) => (p.kind === 'root-encloses-hash-dir' ? `${p.entry} -> ${p.resolved}` : p.kind)).sort();
  assert.deepEqual(found, [`root -> ${hash}`, 'top -> /', `up -> ${join(hash, '..')}`]);
});

test('digest directories in the hash dir are found; the message gives commands that move them into an entry', () => {
  const hash = createHashDir();
  for (const name of ['3f', '00', 'a1', 'ff']) mkdirSync(join(hash, name));
  mkdirSync(join(hash, 'xy'));
  writeFileSync(join(hash, '12'), 'a file, not a directory');
  const [problem, ...rest] = findLayoutProblems(hash);
  assert.deepEqual(rest, []);
  assert.ok(problem !== undefined && problem.kind === 'digest-dirs-in-hash-dir');
  assert.deepEqual(problem.examples.map(String), ['00', '3f', 'a1']);
  assert.equal(problem.hashDirIsLink, false);
  assert.equal(
    formatLayoutProblem(problem, '/vservers/.hash').toString(),
    `vhashify: the hash dir '${hash}' holds digest directories ('00', '3f', 'a1'...): earlier runs used it as a storage root, ` +
      `so configuration and storage are one directory (the cause of "Duplicate hash-dir entry '00' found"); nothing was changed.\n` +
      `Fix: move them into an entry of their own (on one file system, so nothing is copied): cd ${hash} && mkdir -m 700 store && mv [0-9a-f][0-9a-f] store/\n`,
  );
});

test('a hash dir that is a symlink to a filled store gets commands that give the configuration a directory of its own', () => {
  const dir = join(base, `c${counter++}`);
  const store = join(dir, 'store');
  mkdirSync(join(store, '00'), { recursive: true });
  writeFileSync(join(store, 'method'), 'sha256\n');
  writeFileSync(join(store, 'blocks'), 'all\n');
  const hash = join(dir, 'hash');
  symlinkSync(store, hash);
  const [problem] = findLayoutProblems(`${hash}/`);
  assert.ok(problem !== undefined && problem.kind === 'digest-dirs-in-hash-dir' && problem.hashDirIsLink);
  const lines = formatLayoutProblem(problem, '/vservers/.hash').toString().split('\n');
  assert.equal(lines[1], `Fix: give the configuration a directory of its own and make the store its entry: rm ${hash} && mkdir ${hash} ` +
    `&& mv ${store}/method ${store}/blocks ${hash}/ && ln -s ${store} ${hash}/root`);
});

test('an entry leading to the hash dir names the entry and a store of its own in the fix', () => {
  const hash = createHashDir();
  symlinkSync('.', join(hash, 'root'));
  const [problem] = findLayoutProblems(hash);
  assert.ok(problem !== undefined);
  assert.equal(
    formatLayoutProblem(problem, '/vservers/.hash').toString(),
    `vhashify: the storage root '${hash}/root' leads to '${hash}', which holds the hash dir '${hash}' itself, so the digest directories ` +
      `would be made beside its configuration files; nothing was changed.\n` +
      `Fix: point the entry at a store directory of its own on the file system of the guests: rm ${hash}/root && mkdir -p /vservers/.hash && ln -s /vservers/.hash ${hash}/root\n`,
  );
});

test('a hash dir that cannot be read has no layout problem here (the start-up reports it as upstream does)', () => {
  assert.deepEqual(findLayoutProblems(join(base, 'no-such-hash')), []);
});
