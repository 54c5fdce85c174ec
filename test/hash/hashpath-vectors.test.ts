// Every case of the golden hashpath.json: materialise the file (content, owner, mode, mtime) on
// a tmpfs, take its attributes from lstat, and derive the entry name with our primitives.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, lstatSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createDigester, findAlgorithm } from '../../src/hash/algorithms.js';
import { attributesFromStats, packAttrHeader } from '../../src/hash/attr-header.js';
import { formatCounterSuffix, formatDigestPath, formatEntryPath } from '../../src/store/entry-path.js';
import { vectorsDir } from '../support/paths.js';
import { createTmpfsDir, removeTmpfsDir } from '../store/tmpfs-fixture.js';

interface ContentGen {
  type: 'repeat' | 'counter' | 'lcg';
  byte?: number;
  seed?: number;
  size: number;
}

interface HashpathCase {
  id: string;
  content_b64?: string;
  content_gen?: ContentGen;
  size: number;
  content_sha256: string;
  st_mode: number;
  uid: number;
  gid: number;
  mtime: number;
  method: string;
  ignore_mtime: boolean;
  attr_block_hex: string;
  expected: string;
}

// The generators of vectors/README.md.
function createContent(c: HashpathCase): Buffer {
  if (c.content_b64 !== undefined) return Buffer.from(c.content_b64, 'base64');
  const gen = c.content_gen!;
  const data = Buffer.alloc(gen.size);
  if (gen.type === 'repeat') return data.fill(gen.byte!);
  if (gen.type === 'counter') {
    for (let i = 0; i < gen.size; i++) data[i] = i & 0xff;
    return data;
  }
  let x = gen.seed! % 2 ** 31;
  for (let i = 0; i < gen.size; i++) {
    // (1103515245 * x + 12345) mod 2^31; the low 32 bits of the product are enough.
    x = (Math.imul(1103515245, x) + 12345) & 0x7fffffff;
    data[i] = (x >>> 16) & 0xff;
  }
  return data;
}

function computeEntryName(c: HashpathCase, header: Buffer, content: Buffer): string {
  const algorithm = findAlgorithm(Buffer.from(c.method));
  assert.ok(algorithm, `method ${c.method} is known`);
  const digester = createDigester(algorithm.name);
  digester.update(header);
  digester.update(content);
  const digest = digester.digest();
  return formatDigestPath(digest) + formatCounterSuffix(0);
}

const cases = (JSON.parse(readFileSync(join(vectorsDir, 'hashpath.json'), 'utf8')) as { cases: HashpathCase[] }).cases;

describe('hashpath.json', () => {
  let dir = '';
  before(() => {
    dir = createTmpfsDir('hashpath');
  });
  after(() => {
    if (dir !== '') removeTmpfsDir(dir);
  });

  test('holds the 150 cases this suite was written against', () => {
    assert.equal(cases.length, 150);
  });

  for (const c of cases) {
    test(`case ${c.id} (${c.method}, ${c.size} bytes${c.ignore_mtime ? ', --ignore-mtime' : ''}) gets the upstream name`, () => {
      const content = createContent(c);
      assert.equal(content.length, c.size);
      assert.equal(createHash('sha256').update(content).digest('hex'), c.content_sha256, 'materialised content');

      const path = join(dir, c.id);
      writeFileSync(path, content);
      chownSync(path, c.uid, c.gid);
      chmodSync(path, c.st_mode & 0o7777);
      // A Date, because Node replaces negative numeric times with the current time.
      const when = new Date(c.mtime * 1000);
      utimesSync(path, when, when);
      const attrs = attributesFromStats(lstatSync(path, { bigint: true }));
      rmSync(path);

      assert.equal(attrs.mode, BigInt(c.st_mode));
      assert.equal(attrs.mtimeSec, BigInt(c.mtime));
      const header = packAttrHeader(attrs, c.ignore_mtime);
      assert.equal(header.toString('hex'), c.attr_block_hex, 'attribute header');
      assert.equal(computeEntryName(c, header, content), c.expected);
    });
  }

  test('the entry path below a storage root is the root string followed by the name', () => {
    const c = cases[0]!;
    const content = createContent(c);
    const header = Buffer.from(c.attr_block_hex, 'hex');
    const algorithm = findAlgorithm(Buffer.from(c.method))!;
    const digester = createDigester(algorithm.name);
    digester.update(header);
    digester.update(content);
    const digest = digester.digest();
    assert.equal(formatEntryPath('/etc/vservers/.defaults/apps/vunify/hash/root/', digest, 0),
      `/etc/vservers/.defaults/apps/vunify/hash/root/${c.expected}`);
  });
});
