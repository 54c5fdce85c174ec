// Runs the product binary (or a wrapper that calls it) the way the vectors ran upstream: root, umask 022, LC_ALL=C, stdin /dev/null.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { binPath } from './paths.js';

/** Where and what to run; `bin` replaces the product script (self-checks run a stand-in). */
export interface RunCliOptions {
  cwd?: string;
  bin?: string;
  timeoutMs?: number;
  /** Variables that extend or replace the fixed environment (a sandbox's `UTIL_VSERVER_VARS`, `PATH`, cache). */
  env?: Readonly<Record<string, string>>;
}

/** A run with stdout and stderr captured apart. */
export interface CliResult {
  exitCode: number;
  stdout: Buffer;
  stderr: Buffer;
}

/** A run with stdout and stderr written to one pipe, in the order the program wrote them. */
export interface CliCombinedResult {
  exitCode: number;
  combined: Buffer;
}

// The product's inode index goes to a directory of this test process, never to /var/cache/vhashify;
// it is removed when the process exits (each test file runs in a process of its own).
let cacheDir: string | undefined;
function findCacheDir(): string {
  if (cacheDir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'vhashify-cli-cache-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    cacheDir = dir;
  }
  return cacheDir;
}

// `--protect none` is our option and must come first; the vectors assume a kernel without VServer attributes.
const leadingArguments = ['--protect', 'none'];

/** Runs `node bin/vhashify --protect none ARGV…` and collects both streams separately. */
export async function runCli(argv: readonly string[], options: RunCliOptions = {}): Promise<CliResult> {
  return runCommand(formatProductCommand(argv, options), options);
}

/** Runs like `runCli`, but with stderr duplicated onto the stdout pipe, so the interleaving is real. */
export async function runCliCombined(argv: readonly string[], options: RunCliOptions = {}): Promise<CliCombinedResult> {
  return runCommandCombined(formatProductCommand(argv, options), options);
}

/** Runs any program (e.g. a `vserver` wrapper that calls the product) in the product's fixed environment; streams apart. */
export async function runCommand(command: readonly string[], options: RunCliOptions = {}): Promise<CliResult> {
  const { exitCode, outputs } = await spawnCommand('umask 022; exec "$@"', command, options, true);
  return { exitCode, stdout: outputs[0]!, stderr: outputs[1]! };
}

/** Runs like `runCommand`, with stderr duplicated onto the stdout pipe. */
export async function runCommandCombined(command: readonly string[], options: RunCliOptions = {}): Promise<CliCombinedResult> {
  const { exitCode, outputs } = await spawnCommand('umask 022; exec "$@" 2>&1', command, options, false);
  return { exitCode, combined: outputs[0]! };
}

/** The whole environment of a run: fixed, so nothing of the test runner's (NODE_TEST_CONTEXT, NODE_OPTIONS…) leaks into the product. */
export function createProductEnvironment(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin',
    LC_ALL: 'C',
    VHASHIFY_ARGV0: 'vhashify',
    ...extra,
  };
  env['VHASHIFY_CACHE_DIR'] ??= findCacheDir();
  return env;
}

function formatProductCommand(argv: readonly string[], options: RunCliOptions): string[] {
  return [process.execPath, options.bin ?? binPath, ...leadingArguments, ...argv];
}

function spawnCommand(
  script: string,
  command: readonly string[],
  options: RunCliOptions,
  separateStderr: boolean,
): Promise<{ exitCode: number; outputs: Buffer[] }> {
  const child = spawn('/bin/sh', ['-c', script, 'sh', ...command], {
    cwd: options.cwd ?? '/',
    env: createProductEnvironment(options.env),
    stdio: ['ignore', 'pipe', separateStderr ? 'pipe' : 'ignore'],
  });
  const streams = separateStderr ? [child.stdout, child.stderr] : [child.stdout];
  const chunks: Buffer[][] = streams.map(() => []);
  streams.forEach((stream, index) => stream!.on('data', (chunk: Buffer) => chunks[index]!.push(chunk)));
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL' && code === null) {
        reject(new Error(`${command.join(' ')} did not finish within ${timeoutMs} ms`));
        return;
      }
      // Same convention as a shell: death by signal N reads as exit status 128 + N (SIGABRT gives 134).
      const exitCode = code ?? 128 + (signal === null ? 0 : constants.signals[signal]);
      resolve({ exitCode, outputs: chunks.map((parts) => Buffer.concat(parts)) });
    });
  });
}
