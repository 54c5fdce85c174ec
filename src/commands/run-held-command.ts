// The admin's command of `--unshared`, run with the terminal passed through: its standard input,
// output and error are ours, and so are its signals (Ctrl-C stops the command, not the workflow
// around it, which still hashifies the guest again).
import { constants } from 'node:os';
import { formatErrno } from '../report/strerror.js';
import type { RunEnvironment } from './traverse-guest.js';

/** What became of the command: its exit status as a shell reports it (128 + N for signal N, 127 when it could not start). */
export interface CommandOutcome {
  status: number;
  /** Set when the command could not be started, with the reason. */
  startError?: string;
}

/** Signals that stop the command only: the terminal sends them to its whole process group (the command included). */
const LEFT_TO_THE_COMMAND = ['SIGINT', 'SIGQUIT'] as const;
/** Signals meant for us alone (kill, a closing terminal): passed on to the command. */
const PASSED_ON = ['SIGTERM', 'SIGHUP'] as const;

/** Runs `argv` (program and arguments) in `env.cwd` with our environment and stdio; resolves with its status. */
export async function runHeldCommand(argv: readonly Buffer[], env: RunEnvironment): Promise<CommandOutcome> {
  const { execa } = await import('execa');
  const [file, ...args] = argv.map((word) => word.toString('utf8'));
  const child = execa(file!, args, {
    cwd: env.cwd,
    env: env.vars ?? {},
    extendEnv: false,
    stdio: 'inherit',
    reject: false,
  });
  const listeners = new Map<string, () => void>();
  for (const signal of LEFT_TO_THE_COMMAND) listeners.set(signal, () => undefined);
  for (const signal of PASSED_ON) listeners.set(signal, () => void child.kill(signal));
  for (const [signal, listener] of listeners) process.on(signal, listener);
  try {
    const result = await child;
    if (result.exitCode !== undefined) return { status: result.exitCode };
    if (result.signal !== undefined) return { status: 128 + constants.signals[result.signal] };
    const reason = (result.cause as NodeJS.ErrnoException | undefined)?.code ?? (result.cause as Error | undefined)?.message ?? 'unknown error';
    return { status: 127, startError: typeof reason === 'string' && /^E[A-Z]+$/.test(reason) ? formatErrno(reason) : String(reason) };
  } finally {
    for (const [signal, listener] of listeners) process.off(signal, listener);
  }
}
