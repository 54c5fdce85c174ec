// Replays the trees.json scenarios about the hash dir (t03, t07, t09) against our store set-up
// stage: config files (messages, order, files created) and storage roots (duplicates, paths).
// Whole-tree runs are tested elsewhere; here only what the hash-dir stage decides is compared.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, opendirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createDigester } from '../../src/hash/algorithms.js';
import { attributesFromStats, packAttrHeader } from '../../src/hash/attr-header.js';
import { formatEntryPath } from '../../src/store/entry-path.js';
import { loadHashConfig, resolveHashDir } from '../../src/store/hash-config.js';
import { findStorageRoots, formatDuplicateEntry, isSameDevice, type StorageRoot } from '../../src/store/storage-roots.js';
import { applyOps, createScenarioTree, parseManualRun, readScenario, type ScenarioStep } from './scenario-fixture.js';
import { createTmpfsDir, removeTmpfsDir } from './tmpfs-fixture.js';

const configFilePattern = /^hash2?\/(method|blocks|blocksize)$/;

// The stderr lines the hash-dir stage prints for a step, plus whether the run ends there.
function runStoreSetup(root: string, step: ScenarioStep): { stderr: string; fatal: boolean } | undefined {
  const run = parseManualRun(step.argv, root);
  if (run === undefined) return undefined;
  const cwd = (step.cwd ?? '/').replaceAll('${ROOT}', root);
  const hashDir = resolveHashDir(run.destination, cwd);
  const toText = (lines: Buffer[]) => lines.map((l) => `${l.toString('utf8')}\n`).join('').replaceAll(root, '${ROOT}');
  const config = loadHashConfig(hashDir, { dryRun: run.dryRun });
  if (!config.ok) return { stderr: toText(config.messages), fatal: true };
  const found = findStorageRoots(hashDir);
  if ('error' in found) return { stderr: toText([found.error]), fatal: true };
  return { stderr: toText(found.duplicates.map(formatDuplicateEntry)), fatal: false };
}

function assertConfigFiles(root: string, step: ScenarioStep): void {
  const expected = step.state_after.filter((e) => configFilePattern.test(e.path));
  for (const entry of expected) {
    const data = readFileSync(join(root, entry.path));
    assert.equal(createHash('sha256').update(data).digest('hex'), entry.sha256, `${entry.path} content`);
    assert.equal(`0${lstatSync(join(root, entry.path)).mode.toString(8)}`, entry.mode, `${entry.path} mode`);
  }
  for (const path of ['hash/method', 'hash/blocks', 'hash/blocksize', 'hash2/method', 'hash2/blocks', 'hash2/blocksize']) {
    if (!expected.some((e) => e.path === path)) assert.equal(existsSync(join(root, path)), false, `${path} must not exist`);
  }
}

function replayScenario(id: string): void {
  describe(`trees.json ${id}`, () => {
    const scenario = readScenario(id);
    let root = '';
    before(() => {
      root = createTmpfsDir(`store-${id}`);
      createScenarioTree(root, scenario.tree);
    });
    after(() => {
      if (root !== '') removeTmpfsDir(root);
    });
    for (const step of scenario.steps) {
      test(`step "${step.name}" gets the hash-dir stage's messages and files`, () => {
        applyOps(root, step.before);
        const outcome = runStoreSetup(root, step);
        if (outcome !== undefined) {
          const expected = step.output['0']!.stderr;
          if (outcome.fatal) {
            assert.equal(outcome.stderr, expected);
            assert.equal(step.exit_code, 1);
          } else {
            assert.equal(expected.slice(0, outcome.stderr.length), outcome.stderr);
          }
        }
        assertConfigFiles(root, step);
      });
    }
  });
}

replayScenario('t03-default-method');
replayScenario('t09-config-errors');
replayScenario('t07-devices');

describe('trees.json t07-devices entry paths', () => {
  const scenario = readScenario('t07-devices');
  let root = '';
  before(() => {
    root = createTmpfsDir('store-t07-paths');
    createScenarioTree(root, scenario.tree);
  });
  after(() => {
    if (root !== '') removeTmpfsDir(root);
  });

  function findRoots(): StorageRoot[] {
    const found = findStorageRoots(join(root, 'hash'));
    if ('error' in found) assert.fail(found.error.toString('utf8'));
    return found.roots;
  }

  test('the hash dir is listed in ascending order, as when the vectors were made', () => {
    const handle = opendirSync(join(root, 'hash'));
    const names: string[] = [];
    for (let e = handle.readSync(); e !== null; e = handle.readSync()) names.push(e.name);
    handle.closeSync();
    assert.deepEqual(names, [...names].sort());
  });

  test('every "(to ...)" path of the -vvvv dry run follows from roots, attributes and content', () => {
    const roots = findRoots();
    assert.deepEqual(roots.map((r) => r.name.toString()), ['a', 'z-m2', 'z-m4']);
    const stdout = scenario.steps[0]!.output['4']!.stdout.replaceAll('${ROOT}', root);
    const lines = [...stdout.matchAll(/^unifying {3}'([^']+)' \(to '([^']+)'\)$/gm)];
    assert.equal(lines.length, 5);
    for (const [, guestPath, entryPath] of lines) {
      const file = join(root, 'guest1', guestPath!);
      const st = lstatSync(file, { bigint: true });
      const storageRoot = roots.find((r) => isSameDevice(r.dev, st.dev));
      if (storageRoot === undefined) assert.fail(`no root for ${guestPath}`);
      const digester = createDigester('sha1'); // the scenario's method file says sha1
      digester.update(packAttrHeader(attributesFromStats(st), false));
      digester.update(readFileSync(file));
      assert.equal(formatEntryPath(storageRoot.path, digester.digest(), 0), entryPath, guestPath);
    }
  });

  test('the file on the third file system has no storage root ("no matching device")', () => {
    const st = lstatSync(join(root, 'guest1/y-sub3/on-dev3'), { bigint: true });
    assert.equal(findRoots().some((r) => isSameDevice(r.dev, st.dev)), false);
  });
});
