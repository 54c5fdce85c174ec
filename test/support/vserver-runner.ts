// Replays one scenario of vserver.json at one verbosity level, directly or through the wrapper stand-in, and reports every mismatch.
import { applyOps } from './tree-fixture.js';
import { reorderEntries } from './tree-order.js';
import { createClockWindow } from './tree-state.js';
import { compareExitCode, compareListing, compareText } from './replay-compare.js';
import { runCli, runCliCombined, runCommand, runCommandCombined, type CliCombinedResult, type CliResult } from './run-cli.js';
import type { ReplayMode } from './tree-runner.js';
import { formatStepArgv, formatStepCwd, normalizePlaceholdersInOutput } from './tree-vectors.js';
import { checkWrapperStandIn, createVserverSandbox, destroyVserverSandbox, type VserverSandbox } from './vserver-sandbox.js';
import { createVserverLabels, readVserverConfig, readVserverState } from './vserver-state.js';
import { findVserverOverride } from './vserver-overrides.js';
import type { StateEntry } from './tree-vectors.js';
import {
  insertProtectNone, type ConfigEntry, type VserverScenario, type VserverStep, type VserverVectors,
} from './vserver-vectors.js';

/** Materialises the scenario's installation afresh, runs its steps in order, returns one readable report per mismatching step. */
export async function runVserverScenarioAtLevel(
  vectors: VserverVectors,
  scenario: VserverScenario,
  level: number,
  mode: ReplayMode,
): Promise<string[]> {
  const clock = createClockWindow();
  const sandbox = createVserverSandbox(scenario, vectors.packaged_defaults);
  const failures: string[] = [];
  try {
    const labels = createVserverLabels(sandbox.root, sandbox.confDir);
    const readState = () => readVserverState(sandbox.root, labels, clock, sandbox.placeholders);
    const readConfig = () => readVserverConfig(sandbox.confDir, labels, clock, sandbox.placeholders);
    failures.push(...compareListing('fixture: ${ROOT} differs from initial_state', scenario.initial_state, readState()));
    failures.push(...compareListing('fixture: ${CONFDIR} differs from initial_config', scenario.initial_config, readConfig()));
    const repeats = createRepeatShortener();
    for (const [index, step] of scenario.steps.entries()) {
      if (step.before) applyOps(sandbox.root, step.before);
      // README: before every step both trees list their entries in ascending byte order.
      reorderEntries(sandbox.root);
      reorderEntries(sandbox.confDir);
      const expected = findExpectedStep(vectors, scenario, index, level);
      const run = await runVserverStep(sandbox, step, level, mode);
      const normalize = (output: Buffer): Buffer => normalizePlaceholdersInOutput(output, sandbox.placeholders);
      const stepFailures = compareExitCode(expected.exitCode, run.exitCode);
      if ('combined' in run) {
        stepFailures.push(...compareText('stdout+stderr (one pipe)', expected.combined, normalize(run.combined)));
      } else {
        stepFailures.push(...compareText('stdout', expected.stdout, normalize(run.stdout)));
        stepFailures.push(...compareText('stderr', expected.stderr, normalize(run.stderr)));
      }
      stepFailures.push(...repeats.shorten('${ROOT}', index, compareListing(`\${ROOT} after the run differs from ${expected.source}`, expected.stateAfter, readState())));
      stepFailures.push(...repeats.shorten('${CONFDIR}', index, compareListing(`\${CONFDIR} after the run differs from ${expected.source}`, expected.configAfter, readConfig())));
      if (stepFailures.length > 0) failures.push(`step ${index + 1} "${step.name}", run as: ${run.shown}\n${stepFailures.join('\n')}`);
    }
  } finally {
    destroyVserverSandbox(sandbox.base);
  }
  return failures;
}

/**
 * Runs one step in the sandbox at one level: a direct step runs vhashify itself (runCli puts `--protect none` first),
 * a wrapper step the stand-in as `vserver ARGV…` with `--protect none` right after `hashify`; `shown` is the command line.
 */
export async function runVserverStep(
  sandbox: VserverSandbox,
  step: VserverStep,
  level: number,
  mode: ReplayMode,
): Promise<(CliResult | CliCombinedResult) & { shown: string }> {
  const argv = formatStepArgv(step.argv, sandbox.placeholders, level);
  const options = { cwd: formatStepCwd(step, sandbox.placeholders), env: sandbox.env };
  if (step.via === 'direct') {
    const shown = `vhashify --protect none ${argv.join(' ')} (cwd ${options.cwd})`;
    return { shown, ...(mode === 'separate' ? await runCli(argv, options) : await runCliCombined(argv, options)) };
  }
  checkWrapperStandIn();
  const wrapperArgv = insertProtectNone(argv);
  const command = ['/bin/bash', sandbox.wrapper, ...wrapperArgv];
  const shown = `vserver ${wrapperArgv.join(' ')} (cwd ${options.cwd})`;
  return { shown, ...(mode === 'separate' ? await runCommand(command, options) : await runCommandCombined(command, options)) };
}

/** What a step must produce at one level, and where that expectation comes from. */
interface ExpectedStep {
  source: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  combined: string;
  stateAfter: StateEntry[];
  configAfter: ConfigEntry[];
}

// The recording, or our own expectation for a deliberate step (one of its streams is always empty, so one pipe
// carries the other unchanged).
function findExpectedStep(vectors: VserverVectors, scenario: VserverScenario, index: number, level: number): ExpectedStep {
  const step = scenario.steps[index]!;
  const override = findVserverOverride(vectors, scenario, index);
  if (override !== undefined) {
    const { stdout, stderr } = override.output[String(level)]!;
    const { exitCode, stateAfter, configAfter } = override;
    return { source: 'vserver-overrides.ts (deliberate step)', exitCode, stdout, stderr, combined: stdout + stderr, stateAfter, configAfter };
  }
  const output = step.output[String(level)];
  if (!output) throw new Error(`${scenario.id} "${step.name}" has no output for level ${level}`);
  return {
    source: 'vserver.json',
    exitCode: step.exit_code,
    stdout: output.stdout,
    stderr: output.stderr,
    combined: output.combined ?? output.stdout + output.stderr,
    stateAfter: step.state_after,
    configAfter: step.config_after,
  };
}

// A tree that diverged at one step usually differs in the same way after every later step; the diff is shown once.
function createRepeatShortener(): { shorten: (listing: string, index: number, failures: string[]) => string[] } {
  const last = new Map<string, { text: string; index: number }>();
  return {
    shorten(listing, index, failures) {
      const text = failures.join('\n');
      const previous = last.get(listing);
      last.set(listing, { text, index: previous?.text === text ? previous.index : index });
      if (text === '' || previous?.text !== text) return failures;
      return [`${listing} after the run differs exactly as after step ${previous.index + 1} (diff not repeated)`];
    },
  };
}
