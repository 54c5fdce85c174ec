import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectEverything, selectPaths } from '../../src/walk/path-selection.js';

const b = (s: string): Buffer => Buffer.from(s);

describe('selectPaths', () => {
  const selection = selectPaths([{ path: b('/usr/lib/libx.so'), subtree: false }, { path: b('/etc/conf'), subtree: true }]);

  it('lets the walk enter only the directories on the way to a chosen path, and what lies below a chosen tree', () => {
    for (const path of ['/usr', '/usr/lib', '/usr/lib/libx.so', '/etc', '/etc/conf', '/etc/conf/a/b']) {
      assert.equal(selection.decide(b(path)).verdict, 'include', path);
    }
    for (const path of ['/var', '/usr/share', '/usr/lib/liby.so', '/etc/confx', '/etc/other']) {
      assert.equal(selection.decide(b(path)).verdict, 'skip', path);
    }
  });

  it('selects the chosen file and everything below a chosen directory, not the directories on the way', () => {
    assert.ok(selection.isSelected(b('/usr/lib/libx.so')));
    assert.ok(selection.isSelected(b('/etc/conf/a/b')));
    assert.ok(!selection.isSelected(b('/usr/lib')));
    assert.ok(!selection.isSelected(b('/etc/conffile')));
    assert.equal(selection.everything, false);
  });

  it('takes / as a tree meaning everything', () => {
    const all = selectPaths([{ path: b('/'), subtree: true }]);
    assert.ok(all.isSelected(b('/a/b')));
    assert.equal(all.decide(b('/a')).verdict, 'include');
  });
});

describe('selectEverything', () => {
  it('includes and selects every path', () => {
    const all = selectEverything();
    assert.equal(all.decide(b('/x')).verdict, 'include');
    assert.ok(all.isSelected(b('/x/y')));
    assert.ok(all.everything);
  });
});
