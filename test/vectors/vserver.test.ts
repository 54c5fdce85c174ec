// Replays every scenario of the golden vserver.json at every verbosity level, through the wrapper stand-in or directly.
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { describe, test } from 'node:test';
import { hasCombinedOutput } from '../support/tree-runner.js';
import { verbosityLevels } from '../support/tree-vectors.js';
import { runVserverScenarioAtLevel } from '../support/vserver-runner.js';
import { readVserverVectors } from '../support/vserver-vectors.js';

// Every replay has its own sandbox and mounts, so they can run side by side; the work is mostly child processes.
const concurrency = 2 * availableParallelism();
const vectors = readVserverVectors();

describe('golden vserver.json scenarios', { concurrency }, () => {
  for (const scenario of vectors.scenarios) {
    for (const level of verbosityLevels) {
      test(`${scenario.id} behaves like upstream (or as vserver-overrides.ts pins) at verbosity ${level}`, async () => {
        const failures = await runVserverScenarioAtLevel(vectors, scenario, level, 'separate');
        if (failures.length > 0) assert.fail(`${scenario.id}, level ${level}:\n\n${failures.join('\n\n')}`);
      });
      if (!hasCombinedOutput(scenario, level)) continue;
      test(`${scenario.id} interleaves stdout and stderr like upstream at verbosity ${level}`, async () => {
        const failures = await runVserverScenarioAtLevel(vectors, scenario, level, 'combined');
        if (failures.length > 0) assert.fail(`${scenario.id}, level ${level}, one pipe:\n\n${failures.join('\n\n')}`);
      });
    }
  }
});
