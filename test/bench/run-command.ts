// Runs a helper command (tar, rm, debootstrap, …) and fails loudly when it does not succeed.
import { spawnSync } from 'node:child_process';

/** How a helper command ran: its exit status and what it printed. */
export interface CommandOutcome {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `file args…` to completion; with `inherit`, the output goes straight to our terminal. */
export function runCommand(file: string, args: readonly string[], options: { inherit?: boolean; env?: NodeJS.ProcessEnv } = {}): CommandOutcome {
  const result = spawnSync(file, args, {
    stdio: options.inherit === true ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
    env: options.env ?? process.env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error !== undefined) throw new Error(`${file}: ${result.error.message}`);
  return { status: result.status ?? 128, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** Runs a command and throws with its stderr unless it exits 0. */
export function runChecked(file: string, args: readonly string[], options: { inherit?: boolean; env?: NodeJS.ProcessEnv } = {}): string {
  const outcome = runCommand(file, args, options);
  if (outcome.status !== 0) {
    throw new Error(`${[file, ...args].join(' ')} exited with ${outcome.status}\n${outcome.stderr.trim()}`);
  }
  return outcome.stdout;
}

/** Whether a program can be found on PATH (or at the absolute path given). */
export function hasProgram(name: string): boolean {
  return runCommand('sh', ['-c', 'command -v "$1" >/dev/null 2>&1', 'sh', name]).status === 0;
}
