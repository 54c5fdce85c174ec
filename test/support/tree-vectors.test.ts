// Checks the vectors' conventions: placeholders in arguments and working directories, absolute paths in output.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  createRootPlaceholders, formatStepArgv, formatStepCwd, normalizePlaceholdersInOutput, readTreeScenarios, substitutePlaceholders,
} from './tree-vectors.js';

const root = Buffer.from('/tmp/vhashify-tree-abc');
const placeholders = createRootPlaceholders(root);

describe('formatStepArgv', () => {
  test('drops ${V} at level 0 and spells one v per level above it', () => {
    const argv = ['--destination', '${ROOT}/hash', '${V}', 'x${V}'];
    assert.deepEqual(formatStepArgv(argv, placeholders, 0), ['--destination', '/tmp/vhashify-tree-abc/hash', 'x${V}']);
    assert.deepEqual(formatStepArgv(argv, placeholders, 3), ['--destination', '/tmp/vhashify-tree-abc/hash', '-vvv', 'x${V}']);
  });
});

describe('formatStepCwd', () => {
  test('defaults to / and substitutes ${ROOT}', () => {
    assert.equal(formatStepCwd({}, placeholders), '/');
    assert.equal(formatStepCwd({ cwd: '${ROOT}' }, placeholders),
      '/tmp/vhashify-tree-abc');
  });
});

describe('normalizePlaceholdersInOutput', () => {
  test('replaces every occurrence of the root on bytes, leaving other bytes alone', () => {
    const output = Buffer.concat([Buffer.from('/tmp/vhashify-tree-abc/a \xff'), Buffer.from([0xff]), Buffer.from(' /tmp/vhashify-tree-abc\n')]);
    assert.deepEqual(normalizePlaceholdersInOutput(output, placeholders),
      Buffer.concat([Buffer.from('${ROOT}/a \xff'), Buffer.from([0xff]), Buffer.from(' ${ROOT}\n')]));
  });

  test('puts back the longer of two overlapping paths first, whichever placeholder it belongs to', () => {
    const output = Buffer.from('/s/r/etc/g1 /s/r/vservers/g1 /s/rx/a\n');
    const inner = new Map([['${ROOT}', Buffer.from('/s/r')], ['${CONFDIR}', Buffer.from('/s/r/etc')]]);
    assert.equal(normalizePlaceholdersInOutput(output, inner).toString(), '${CONFDIR}/g1 ${ROOT}/vservers/g1 ${ROOT}x/a\n');
    const outer = new Map([['${ROOT}', Buffer.from('/s/rx')], ['${CONFDIR}', Buffer.from('/s/r')]]);
    assert.equal(normalizePlaceholdersInOutput(output, outer).toString(), '${CONFDIR}/etc/g1 ${CONFDIR}/vservers/g1 ${ROOT}/a\n');
  });
});

describe('substitutePlaceholders', () => {
  test('replaces every placeholder it knows and leaves others alone', () => {
    const both = new Map([['${ROOT}', root], ['${CONFDIR}', Buffer.from('/etc/vs')]]);
    assert.equal(substitutePlaceholders('${CONFDIR}/g1/vdir -> ${ROOT}/g1 ${V}', both), '/etc/vs/g1/vdir -> /tmp/vhashify-tree-abc/g1 ${V}');
  });
});

describe('readTreeScenarios', () => {
  test('reads the ten shared scenarios with their steps', () => {
    const scenarios = readTreeScenarios();
    assert.equal(scenarios.length, 10);
    assert.equal(scenarios.reduce((sum, scenario) => sum + scenario.steps.length, 0), 49);
  });
});
