// Checks the tree harness itself, before the product is involved: materialised trees and readdir order.
import assert from 'node:assert/strict';
import { mkdirSync, rmdirSync, writeFileSync, unlinkSync } from 'node:fs';
import { describe, test } from 'node:test';
import { applyOps, createFixture, destroyFixture, findImpossibleEntries } from '../support/tree-fixture.js';
import { findMisorderedDirectories, readRawDirectoryOrder, reorderEntries } from '../support/tree-order.js';
import { createClockWindow, createStateLabels, formatStateLine, readTreeState } from '../support/tree-state.js';
import { formatLineDiff } from '../support/tree-diff.js';
import { resolveInRoot } from '../support/tree-bytes.js';
import { readTreeScenarios } from '../support/tree-vectors.js';

const scenarios = readTreeScenarios();

describe('materialised scenario trees', () => {
  for (const scenario of scenarios) {
    test(`${scenario.id} materialises to exactly its initial_state listing`, () => {
      const clock = createClockWindow();
      const { root } = createFixture(scenario);
      try {
        const actual = readTreeState(root, createStateLabels(root), clock).map(formatStateLine);
        const expected = scenario.initial_state.map(formatStateLine);
        if (actual.join('\n') !== expected.join('\n')) assert.fail(formatLineDiff(expected, actual));
      } finally {
        destroyFixture(root);
      }
    });
  }

  test('only t02-exclude-quirks lists an entry below a regular file, and it is left out', () => {
    const impossible = scenarios.flatMap((scenario) => findImpossibleEntries(scenario.tree).map((path) => `${scenario.id}:${path}`));
    assert.deepEqual(impossible, ['t02-exclude-quirks:guest1/a/b.tmp']);
  });
});

describe('operations before a step', () => {
  const basic = scenarios.find((scenario) => scenario.id === 't03-default-method')!;

  test('write truncates in place, creates new files 0644 with the clock time, and honours mode and mtime', () => {
    const clock = createClockWindow();
    const { root } = createFixture(basic);
    try {
      const labels = createStateLabels(root);
      const before = readTreeState(root, labels, clock);
      applyOps(root, [
        { type: 'write', path: 'guest1/a', content_b64: Buffer.from('short').toString('base64') },
        { type: 'write', path: 'hash/new', content_b64: Buffer.from('new\n').toString('base64') },
        { type: 'write', path: 'guest1/tiny', content_b64: '', mode: '0100600', mtime: -5 },
        { type: 'chmod', path: 'guest1/b/c', mode: '0104711' },
      ]);
      const after = new Map(readTreeState(root, labels, clock).map((entry) => [entry.path, entry]));
      const a = after.get('guest1/a')!;
      assert.deepEqual([a.inode, a.size, a.mtime, a.mode], [before.find((e) => e.path === 'guest1/a')!.inode, 5, 'now', '0100644']);
      const created = after.get('hash/new')!;
      assert.deepEqual([created.mode, created.size, created.mtime, created.uid], ['0100644', 4, 'now', 0]);
      const tiny = after.get('guest1/tiny')!;
      assert.deepEqual([tiny.mode, tiny.size, tiny.mtime], ['0100600', 0, -5]);
      assert.equal(after.get('guest1/b/c')!.mode, '0104711');
    } finally {
      destroyFixture(root);
    }
  });
});

describe('readdir order of a fixture', () => {
  const devices = scenarios.find((scenario) => scenario.id === 't07-devices')!;

  test('is ascending in every directory, mounts and bind mounts included, after materialisation', () => {
    const { root } = createFixture(devices);
    try {
      assert.deepEqual(findMisorderedDirectories(root), []);
      assert.deepEqual(readRawDirectoryOrder(root).map(String), ['dev4', 'exclude1', 'guest1', 'hash']);
      assert.deepEqual(readRawDirectoryOrder(resolveInRoot(root, 'guest1')).map(String),
        ['a-on-dev1', 'b-on-dev1', 'x-sub2', 'y-sub3', 'z-bind4']);
    } finally {
      destroyFixture(root);
    }
  });

  test('is broken by a new entry and ascending again after reorderEntries', () => {
    const { root } = createFixture(devices);
    try {
      const guest = resolveInRoot(root, 'guest1');
      writeFileSync(resolveInRoot(guest, 'c-new'), 'x');
      mkdirSync(resolveInRoot(root, 'hash/y-dir'));
      assert.equal(String(readRawDirectoryOrder(guest)[0]), 'c-new');
      assert.deepEqual(findMisorderedDirectories(root), [`${root}/guest1`, `${root}/hash`]);
      reorderEntries(root);
      assert.deepEqual(findMisorderedDirectories(root), []);
      assert.deepEqual(readRawDirectoryOrder(guest).map(String),
        ['a-on-dev1', 'b-on-dev1', 'c-new', 'x-sub2', 'y-sub3', 'z-bind4']);
      unlinkSync(resolveInRoot(guest, 'c-new'));
      rmdirSync(resolveInRoot(root, 'hash/y-dir'));
    } finally {
      destroyFixture(root);
    }
  });
});
