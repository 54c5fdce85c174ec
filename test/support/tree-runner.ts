// Replays one scenario of trees.json at one verbosity level against the product and describes every mismatch.
import { applyOps, createFixture, destroyFixture } from './tree-fixture.js';
import { reorderEntries } from './tree-order.js';
import { createClockWindow, createStateLabels, readTreeState } from './tree-state.js';
import { compareExitCode, compareListing, compareText } from './replay-compare.js';
import { findOverride, type ExpectedRun } from './tree-overrides.js';
import { runCli, runCliCombined } from './run-cli.js';
import {
  createRootPlaceholders, formatStepArgv, formatStepCwd, normalizePlaceholdersInOutput, type StateEntry, type TreeScenario,
  type TreeStep,
} from './tree-vectors.js';

/** Which streams a replay checks: `separate` compares stdout and stderr, `combined` their real interleaving. */
export type ReplayMode = 'separate' | 'combined';

/** Materialises the scenario afresh, runs its steps in order and returns one readable report per mismatch. */
export async function runScenarioAtLevel(scenario: TreeScenario, level: number, mode: ReplayMode): Promise<string[]> {
  const clock = createClockWindow();
  const { root } = createFixture(scenario);
  const placeholders = createRootPlaceholders(root);
  const failures: string[] = [];
  try {
    const labels = createStateLabels(root);
    const initial = readTreeState(root, labels, clock);
    failures.push(...compareState('fixture', scenario.initial_state, initial));
    for (const [index, step] of scenario.steps.entries()) {
      if (step.before) applyOps(root, step.before);
      reorderEntries(root);
      const title = `step ${index + 1} "${step.name}"`;
      const expected = await findExpectedRun(scenario, step, level);
      const argv = formatStepArgv(step.argv, placeholders, level);
      const cwd = formatStepCwd(step, placeholders);
      const stepFailures: string[] = [];
      if (mode === 'separate') {
        const result = await runCli(argv, { cwd });
        stepFailures.push(...compareExitCode(expected.exitCode, result.exitCode));
        stepFailures.push(...compareText('stdout', expected.stdout, normalizePlaceholdersInOutput(result.stdout, placeholders)));
        stepFailures.push(...compareText('stderr', expected.stderr, normalizePlaceholdersInOutput(result.stderr, placeholders)));
      } else {
        const result = await runCliCombined(argv, { cwd });
        stepFailures.push(...compareExitCode(expected.exitCode, result.exitCode));
        const combined = expected.combined ?? expected.stdout + expected.stderr;
        stepFailures.push(...compareText('stdout+stderr (one pipe)', combined, normalizePlaceholdersInOutput(result.combined, placeholders)));
      }
      stepFailures.push(...compareState('state after the run', step.state_after, readTreeState(root, labels, clock)));
      if (stepFailures.length > 0) {
        failures.push(`${title}, run as: vhashify ${argv.join(' ')} (cwd ${cwd})\n${stepFailures.join('\n')}`);
      }
    }
  } finally {
    destroyFixture(root);
  }
  return failures;
}

/** Whether any step of the scenario has an interleaving of its own to check at this level. */
export function hasCombinedOutput(scenario: { steps: readonly Pick<TreeStep, 'output'>[] }, level: number): boolean {
  return scenario.steps.some((step) => step.output[String(level)]?.combined !== undefined);
}

async function findExpectedRun(
  scenario: TreeScenario,
  step: TreeStep,
  level: number,
): Promise<ExpectedRun & { combined?: string }> {
  const override = await findOverride(scenario, step, level);
  if (override) return override;
  const output = step.output[String(level)];
  if (!output) throw new Error(`${scenario.id} "${step.name}" has no output for level ${level}`);
  return { exitCode: step.exit_code, ...output };
}

function compareState(what: string, expected: readonly StateEntry[], actual: readonly StateEntry[]): string[] {
  return compareListing(`${what} differs from the listing in trees.json`, expected, actual);
}
