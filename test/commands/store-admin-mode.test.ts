import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseStoreAdminMode } from '../../src/commands/store-admin-mode.js';

const none = { overview: false, gc: false, audit: false, fix: false, json: false };

test('a command line without a store mode is a run (or another mode)', () => {
  assert.deepEqual(chooseStoreAdminMode(none), { kind: 'none' });
  assert.deepEqual(chooseStoreAdminMode({ ...none, json: true }), { kind: 'none' });
});

test('each mode is chosen with its settings; the sample is a whole number above 0', () => {
  assert.deepEqual(chooseStoreAdminMode({ ...none, overview: true, json: true }), { kind: 'mode', mode: 'overview', fix: false, json: true });
  assert.deepEqual(chooseStoreAdminMode({ ...none, audit: true, fix: true, auditSample: '25' }), { kind: 'mode', mode: 'audit', fix: true, json: false, sample: 25 });
  for (const bad of ['0', '-1', '1.5', 'ten', '', ' 3']) {
    assert.deepEqual(chooseStoreAdminMode({ ...none, audit: true, auditSample: bad }), {
      kind: 'error', message: `vhashify: '--audit-sample' takes a whole number of entries above 0, not '${bad}'\n`,
    });
  }
});

test('--fix and --audit-sample without --audit are refused', () => {
  assert.deepEqual(chooseStoreAdminMode({ ...none, fix: true }), { kind: 'error', message: "vhashify: '--fix' goes with '--audit'\n" });
  assert.deepEqual(chooseStoreAdminMode({ ...none, gc: true, auditSample: '3' }), { kind: 'error', message: "vhashify: '--audit-sample' goes with '--audit'\n" });
});
