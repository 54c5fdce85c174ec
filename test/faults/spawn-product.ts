// The product as a separate process (`node bin/vhashify`), so it can be killed and raced for real.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { binPath } from '../support/paths.js';

/** How a run ended and what it printed. */
export interface ProductResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: Buffer;
  /** Wall time from spawn to exit. */
  ms: number;
}

/** A running product process. */
export interface ProductRun {
  child: ChildProcess;
  /** Resolves when the process has exited and both pipes are drained. */
  done: Promise<ProductResult>;
  /** stderr received so far (for waiting on a line while the run goes on). */
  stderrSoFar(): Buffer;
}

/** Environment of every run: fixed, with the inode index in the sandbox and hints off. */
export interface ProductEnv {
  cacheDir: string;
  extra?: Record<string, string>;
}

/** Hard upper bound for one run: a hung product must fail the test, not hang the suite. */
const RUN_TIMEOUT_MS = 120_000;

/**
 * Starts `node bin/vhashify ARGS…` with stdin /dev/null. `prefix` runs it under another program
 * (e.g. setpriv) that gets the node command as its trailing arguments.
 */
export function startProduct(args: readonly (string | Buffer)[], env: ProductEnv, prefix: readonly string[] = []): ProductRun {
  const command = [...prefix, process.execPath, binPath];
  const child = spawn(command[0]!, [...command.slice(1), ...args.map(formatArgument)], {
    cwd: '/',
    env: {
      PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin',
      LC_ALL: 'C',
      VHASHIFY_ARGV0: 'vhashify',
      VHASHIFY_HINTS: '0',
      VHASHIFY_CACHE_DIR: env.cacheDir,
      ...env.extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (c: Buffer) => out.push(c));
  child.stderr!.on('data', (c: Buffer) => err.push(c));
  const started = Date.now();
  const done = new Promise<ProductResult>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = Date.now() - started;
      if (signal === 'SIGKILL' && ms >= RUN_TIMEOUT_MS) {
        reject(new Error(`vhashify did not finish within ${RUN_TIMEOUT_MS} ms`));
        return;
      }
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err), ms });
    });
  });
  return { child, done, stderrSoFar: () => Buffer.concat(err) };
}

/** Runs the product to its end. */
export function runProduct(args: readonly (string | Buffer)[], env: ProductEnv, prefix: readonly string[] = []): Promise<ProductResult> {
  return startProduct(args, env, prefix).done;
}

/** The usual manual-mode command line: `--protect P --manually --destination HASH OPTIONS… GUEST EXCLUDE`. */
export function formatManualArgs(
  site: { hashDir: string; exclude: string },
  guest: string | Buffer,
  options: readonly string[] = [],
  protect = 'none',
): Array<string | Buffer> {
  return ['--protect', protect, '--manually', '--destination', site.hashDir, ...options, guest, site.exclude];
}

/** Waits until `predicate` holds, polling; false when `limitMs` passed first. */
export async function waitFor(predicate: () => boolean, limitMs: number, stepMs = 5): Promise<boolean> {
  const end = Date.now() + limitMs;
  while (Date.now() < end) {
    if (predicate()) return true;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
  return predicate();
}

// spawn() encodes strings as UTF-8: only arguments that survive that can be passed.
function formatArgument(arg: string | Buffer): string {
  if (typeof arg === 'string') return arg;
  const text = arg.toString('utf8');
  if (!Buffer.from(text).equals(arg)) throw new Error(`argument is not valid UTF-8: ${arg.toString('hex')}`);
  return text;
}

/** True when strace(1) can be run: the syscall-level fault injection needs it (a system package, not an npm one). */
export function hasStrace(): boolean {
  return spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0;
}
