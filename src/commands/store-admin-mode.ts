// Which store administration mode a command line asks for (`--overview`, `--gc`, `--audit`), and
// the combinations that make no sense, refused before anything is read.
import type { CommandLine } from '../cli/command-line.js';

/** The store administration modes. */
export type StoreAdminMode = 'overview' | 'gc' | 'audit';

/** A mode with its settings; `none`: the command line is a run (or another mode); `error`: the line to print (exit 1). */
export type StoreAdminChoice =
  | { kind: 'none' }
  | { kind: 'mode'; mode: StoreAdminMode; sample?: number; fix: boolean; json: boolean }
  | { kind: 'error'; message: string };

/** The largest `--audit-sample` taken as given (more entries than any store holds). */
const MAX_SAMPLE = Number.MAX_SAFE_INTEGER;

/** Reads the mode flags; `--fix` and `--audit-sample` only go with `--audit`. */
export function chooseStoreAdminMode(cmd: Pick<CommandLine, 'overview' | 'gc' | 'audit' | 'auditSample' | 'fix' | 'json'>): StoreAdminChoice {
  // Two modes at once were refused before (cli/one-mode.ts): the first one given is the mode.
  const mode = (['overview', 'gc', 'audit'] as const).find((m) => cmd[m]);
  if (mode !== 'audit') {
    if (cmd.fix) return { kind: 'error', message: "vhashify: '--fix' goes with '--audit'\n" };
    if (cmd.auditSample !== undefined) return { kind: 'error', message: "vhashify: '--audit-sample' goes with '--audit'\n" };
  }
  if (mode === undefined) return { kind: 'none' };
  const choice: StoreAdminChoice = { kind: 'mode', mode, fix: cmd.fix, json: cmd.json };
  if (cmd.auditSample === undefined) return choice;
  const sample = parseSampleSize(cmd.auditSample);
  if (sample === undefined) return { kind: 'error', message: `vhashify: '--audit-sample' takes a whole number of entries above 0, not '${cmd.auditSample}'\n` };
  return { ...choice, sample };
}

function parseSampleSize(text: string): number | undefined {
  if (!/^[0-9]+$/.test(text)) return undefined;
  const value = Number(text);
  if (value === 0) return undefined;
  return Math.min(value, MAX_SAMPLE);
}
