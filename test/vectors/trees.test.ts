// Replays every scenario of the golden trees.json against bin/vhashify at every verbosity level.
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { describe, test } from 'node:test';
import { hasCombinedOutput, runScenarioAtLevel } from '../support/tree-runner.js';
import { readTreeScenarios, verbosityLevels } from '../support/tree-vectors.js';

// Every replay has its own tmpfs, so they can run side by side; the work is mostly child processes.
const concurrency = 2 * availableParallelism();

describe('golden trees.json scenarios', { concurrency }, () => {
  for (const scenario of readTreeScenarios()) {
    for (const level of verbosityLevels) {
      test(`${scenario.id} behaves like upstream at verbosity ${level}`, async () => {
        const failures = await runScenarioAtLevel(scenario, level, 'separate');
        if (failures.length > 0) assert.fail(`${scenario.id}, level ${level}:\n\n${failures.join('\n\n')}`);
      });
      if (!hasCombinedOutput(scenario, level)) continue;
      test(`${scenario.id} interleaves stdout and stderr like upstream at verbosity ${level}`, async () => {
        const failures = await runScenarioAtLevel(scenario, level, 'combined');
        if (failures.length > 0) assert.fail(`${scenario.id}, level ${level}, one pipe:\n\n${failures.join('\n\n')}`);
      });
    }
  }
});
