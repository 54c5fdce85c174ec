// Text edits that turn a recorded step's output into the expected output of a deliberate step (see vserver-overrides.ts).
import type { StepOutput } from './tree-vectors.js';
import { verbosityLevels } from './tree-vectors.js';

/** The outputs of one step at every verbosity level, keyed `"0"` … `"6"`. */
export type LevelOutputs = Record<string, StepOutput>;

/** A recorded step's stdout at every level, edited by `edit`; the template must have written nothing on stderr. */
export function deriveStdout(template: LevelOutputs, edit: (stdout: string, level: number) => string): LevelOutputs {
  const derived: LevelOutputs = {};
  for (const level of verbosityLevels) {
    const recorded = template[String(level)]!;
    if (recorded.stderr !== '') throw new Error(`template output at level ${level} has stderr; its interleaving cannot be derived`);
    derived[String(level)] = { stdout: edit(recorded.stdout, level), stderr: '' };
  }
  return derived;
}

/** The same output at every level. */
export function repeatOutput(output: StepOutput): LevelOutputs {
  return Object.fromEntries(verbosityLevels.map((level) => [String(level), { ...output }]));
}

/** Replaces every occurrence of each `[from, to]` pair, in order (a pair that does not occur changes nothing). */
export function replaceAll(text: string, pairs: readonly (readonly [string, string])[]): string {
  return pairs.reduce((result, [from, to]) => result.split(from).join(to), text);
}

/**
 * Tells a run of guest `from` as one of guest `to`, whose tree has `/usr/bin/<to>-only` in place of `/usr/bin/<from>-only`
 * (the vectors' guests are built that way): the guest root, the name in parentheses (`name`, default `to`) and that path.
 * Throws when `from` is left anywhere, so a template that says more about its guest cannot slip through.
 */
export function renameGuest(stdout: string, from: string, to: string, name = to): string {
  const renamed = replaceAll(stdout, [
    [`\${ROOT}/vservers/${from} (${from})`, `\${ROOT}/vservers/${to} (${name})`],
    [`'/usr/bin/${from}-only'`, `'/usr/bin/${to}-only'`],
  ]);
  if (new RegExp(`\\b${from}\\b`).test(renamed)) throw new Error(`guest ${from} is still named in:\n${renamed}`);
  return renamed;
}

/** Inserts `line` right after the `Initializing exclude-list` line, where spec 1.6 puts the package-management line. */
export function insertAfterInitializing(stdout: string, line: string): string {
  const lines = stdout.split('\n');
  const at = lines.findIndex((text) => text.startsWith('Initializing exclude-list for '));
  if (at === -1) throw new Error(`no Initializing line in:\n${stdout}`);
  lines.splice(at + 1, 0, line);
  return lines.join('\n');
}

/** Removes the `unifying` lines: a dry run prints them at every level, a real run only from -vv on (spec 7.4). */
export function dropUnifyingLines(stdout: string): string {
  return stdout.split('\n').filter((line) => !line.startsWith('unifying   ')).join('\n');
}
