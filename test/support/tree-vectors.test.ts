// Checks the trees.json conventions: placeholders in arguments and the root path in output.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatStepArgv, formatStepCwd, normalizeRootInOutput, readTreeScenarios } from './tree-vectors.js';

const root = Buffer.from('/tmp/vhashify-tree-abc');

describe('formatStepArgv', () => {
  test('drops ${V} at level 0 and spells one v per level above it', () => {
    const argv = ['--destination', '${ROOT}/hash', '${V}', 'x${V}'];
    assert.deepEqual(formatStepArgv(argv, root, 0), ['--destination', '/tmp/vhashify-tree-abc/hash', 'x${V}']);
    assert.deepEqual(formatStepArgv(argv, root, 3), ['--destination', '/tmp/vhashify-tree-abc/hash', '-vvv', 'x${V}']);
  });
});

describe('formatStepCwd', () => {
  test('defaults to / and substitutes ${ROOT}', () => {
    assert.equal(formatStepCwd({ name: 's', argv: [], exit_code: 0, output: {}, state_after: [] }, root), '/');
    assert.equal(formatStepCwd({ name: 's', cwd: '${ROOT}', argv: [], exit_code: 0, output: {}, state_after: [] }, root),
      '/tmp/vhashify-tree-abc');
  });
});

describe('normalizeRootInOutput', () => {
  test('replaces every occurrence of the root on bytes, leaving other bytes alone', () => {
    const output = Buffer.concat([Buffer.from('/tmp/vhashify-tree-abc/a \xff'), Buffer.from([0xff]), Buffer.from(' /tmp/vhashify-tree-abc\n')]);
    assert.deepEqual(normalizeRootInOutput(output, root),
      Buffer.concat([Buffer.from('${ROOT}/a \xff'), Buffer.from([0xff]), Buffer.from(' ${ROOT}\n')]));
  });
});

describe('readTreeScenarios', () => {
  test('reads the ten shared scenarios with their steps', () => {
    const scenarios = readTreeScenarios();
    assert.equal(scenarios.length, 10);
    assert.equal(scenarios.reduce((sum, scenario) => sum + scenario.steps.length, 0), 49);
  });
});
