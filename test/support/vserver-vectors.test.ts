// Checks the vserver.json reader and its conventions: placeholders and where `--protect none` goes through the wrapper.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatStepArgv } from './tree-vectors.js';
import { createVserverPlaceholders, insertProtectNone, readVserverVectors } from './vserver-vectors.js';

describe('readVserverVectors', () => {
  test('reads the nine shared scenarios, their 31 steps (6 deliberate) and the packaged exclude list', () => {
    const { scenarios, packaged_defaults: defaults } = readVserverVectors();
    assert.equal(scenarios.length, 9);
    assert.equal(scenarios.reduce((sum, scenario) => sum + scenario.steps.length, 0), 31);
    assert.equal(scenarios.flatMap((scenario) => scenario.steps).filter((step) => step.deliberate !== undefined).length, 6);
    assert.deepEqual(defaults.map((entry) => entry.path), ['vunify-exclude']);
  });
});

describe('insertProtectNone', () => {
  test('goes right after the command hashify, also for a guest called hashify', () => {
    assert.deepEqual(insertProtectNone(['g1', 'hashify', '-vv']), ['g1', 'hashify', '--protect', 'none', '-vv']);
    assert.deepEqual(insertProtectNone(['hashify', 'hashify']), ['hashify', 'hashify', '--protect', 'none']);
  });

  test('adds nothing without the command', () => {
    assert.deepEqual(insertProtectNone(['g1']), ['g1']);
  });
});

describe('createVserverPlaceholders', () => {
  test('gives ${ROOT}, ${CONFDIR} and ${DEFAULTSDIR} to arguments', () => {
    const placeholders = createVserverPlaceholders({ root: Buffer.from('/s/r'), confDir: Buffer.from('/s/c'), defaultsDir: Buffer.from('/s/d') });
    assert.deepEqual(formatStepArgv(['${V}', '--destination', '${CONFDIR}/althash', '${ROOT}${DEFAULTSDIR}'], placeholders, 1),
      ['-v', '--destination', '/s/c/althash', '/s/r/s/d']);
  });
});
