// Runs one exported function of a compiled test module in a separate Node process (an adversary, a writer).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';

/** A running helper process; stop() asks it to finish through its stop file and waits for its report. */
export interface ScriptRun<R> {
  child: ChildProcess;
  /** The report, once the helper has ended on its own (a limit) or after stop(). */
  done: Promise<R>;
  stop(): Promise<R>;
}

/** What every helper gets: a stop file to watch, and hard limits of its own. */
export interface ScriptLimits {
  stopFile: string;
  maxIterations: number;
  maxMs: number;
}

const IMPORT_AND_CALL =
  'const [url, name, json] = process.argv.slice(1);' +
  'const result = await (await import(url))[name](JSON.parse(json));' +
  'process.stdout.write(JSON.stringify(result));';

/** Starts `fn(args)` of module `moduleUrl` (an import.meta.url of a sibling module) in its own process. */
export function startScript<A extends ScriptLimits, R>(moduleUrl: string, fn: string, args: A): ScriptRun<R> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', IMPORT_AND_CALL, moduleUrl, fn, JSON.stringify(args)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const out: Buffer[] = [];
  child.stdout!.on('data', (c: Buffer) => out.push(c));
  const exited = new Promise<R>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${fn} exited with ${code}`));
      else resolve(JSON.parse(Buffer.concat(out).toString()) as R);
    });
  });
  // A helper that outlives its limits is a bug in the helper: kill it after a grace period.
  const killer = setTimeout(() => child.kill('SIGKILL'), args.maxMs + 10_000);
  exited.finally(() => clearTimeout(killer)).catch(() => undefined);
  return {
    child,
    done: exited,
    stop: () => {
      writeFileSync(args.stopFile, '');
      return exited;
    },
  };
}

/** For helpers: true once the stop file exists or a limit is reached. */
export function isTimeToStop(limits: ScriptLimits, iteration: number, startedMs: number): boolean {
  return iteration >= limits.maxIterations || Date.now() - startedMs >= limits.maxMs || (iteration % 16 === 0 && existsSync(limits.stopFile));
}
