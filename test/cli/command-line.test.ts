// The command-line types' one helper: recognising a protection policy.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isProtectPolicy, protectPolicies } from '../../src/cli/command-line.js';

describe('isProtectPolicy', () => {
  it('recognises the four policies', () => {
    assert.deepEqual([...protectPolicies], ['auto', 'vserver', 'immutable', 'none']);
    for (const policy of protectPolicies) assert.equal(isProtectPolicy(policy), true);
  });

  it('rejects other spellings, the empty word and padded words', () => {
    for (const word of ['', 'Auto', 'NONE', ' none', 'none\n', 'immutable-unlink', 'off']) {
      assert.equal(isProtectPolicy(word), false, JSON.stringify(word));
    }
  });
});
