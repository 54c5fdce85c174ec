// The command: parse, run the start-up checks of spec 1.6, dispatch; returns the exit status.
import { dispatchStoreAdmin } from '../commands/dispatch-store-admin.js';
import type { RunEnvironment } from '../commands/traverse-guest.js';
import { createOutput, type Output } from '../report/output.js';
import { decodeByteString, fromByteString, toByteString } from './argv-bytes.js';
import { modeConflict } from './one-mode.js';
import { parseCommandLine } from './parse-command-line.js';

/** What main() needs from the process; the bin shim fills it in, tests can too. */
export interface MainEnvironment {
  argv0: string;
  cwd: string;
  env: Record<string, string | undefined>;
  out?: Output;
  stderrIsTTY?: boolean;
  stdoutIsTTY?: boolean;
}

const DEFAULT_CACHE_DIR = '/var/cache/vhashify';

/**
 * Runs vhashify with `argv` (without argv[0]; Buffers for the bytes as given, strings are taken as
 * UTF-8) and returns the exit status; never calls process.exit.
 */
export async function main(argv: readonly (string | Buffer)[], host: MainEnvironment): Promise<number> {
  const out = host.out ?? createOutput(1, 2, host.stdoutIsTTY === true);
  try {
    return await dispatch(argv, host, out);
  } finally {
    out.flush();
  }
}

async function dispatch(argv: readonly (string | Buffer)[], host: MainEnvironment, out: Output): Promise<number> {
  // The parser sees byte strings, so a word that is not UTF-8 is quoted back exactly (argv-bytes.ts).
  const parsed = parseCommandLine(argv.map(toByteString), toByteString(host.argv0));
  if (parsed.kind === 'help' || parsed.kind === 'version') {
    out.out(fromByteString(parsed.stdout));
    return 0;
  }
  if (parsed.kind === 'error') {
    out.err(fromByteString(parsed.stderr));
    return parsed.exitCode;
  }
  const cmd = parsed.commandLine;
  if (cmd.destination !== undefined) cmd.destination = decodeByteString(cmd.destination);
  const hintsSetting = host.env['VHASHIFY_HINTS'];
  const env: RunEnvironment = {
    out,
    cwd: host.cwd,
    hints: hintsSetting === undefined ? host.stderrIsTTY === true : hintsSetting === '1',
    cacheDir: host.env['VHASHIFY_CACHE_DIR'] ?? DEFAULT_CACHE_DIR,
    vars: host.env,
    stderrIsTTY: host.stderrIsTTY === true,
    stdoutIsTTY: host.stdoutIsTTY === true,
  };
  const conflict = modeConflict(cmd);
  if (conflict !== undefined) {
    out.err(conflict);
    return 1;
  }
  if (cmd.unhashify || cmd.unshared || cmd.clone || cmd.paths.length > 0 || cmd.packages.length > 0) {
    // Guest administration (--unhashify, --unshared, --clone): checked and run in commands/.
    const { runGuestAdmin } = await import('../commands/run-guest-admin.js');
    return (await runGuestAdmin(cmd, env)).exitCode;
  }
  if (cmd.all && cmd.manual) {
    out.err("vhashify: '--all' and '--manually' do not go together: --all hashifies the configured guests\n");
    return 1;
  }
  // --explain and --check read what a run would use and change nothing (commands/run-explain.ts, run-check.ts).
  if (cmd.explain !== undefined && cmd.all) {
    out.err("vhashify: '--explain' explains one path of one guest; it does not go with '--all'\n");
    return 1;
  }
  if (cmd.check && cmd.all) {
    const { runCheck } = await import('../commands/run-check.js');
    return (await runCheck(cmd, env)).exitCode;
  }
  const storeAdmin = await dispatchStoreAdmin(cmd, env);
  if (storeAdmin !== undefined) return storeAdmin;
  if (cmd.all) {
    const { runAll } = await import('../commands/run-all.js');
    return (await runAll(cmd, env)).exitCode;
  }
  if (cmd.positionals.length === 0) {
    out.err('No directory/vserver given\n');
    if (env.hints) out.err(`Usage: ${host.argv0} --manually --destination <hashdir> <path> <excludelist>, or ${host.argv0} <vserver>; see --help.\n`);
    return 1;
  }
  if (cmd.manual && cmd.destination === undefined) {
    out.err("'--manually' requires '--destination'\n");
    if (env.hints) out.err('Name the hash directory with --destination <hashdir>.\n');
    return 1;
  }
  if (cmd.explain !== undefined) {
    const { runExplain } = await import('../commands/run-explain.js');
    return (await runExplain(cmd, env, fromByteString(cmd.explain))).exitCode;
  }
  if (cmd.check) {
    const { runCheck } = await import('../commands/run-check.js');
    return (await runCheck(cmd, env)).exitCode;
  }
  if (cmd.manual) {
    // Loaded only for a real run: `--help` and `--version` must start fast (execa alone is heavy).
    const { runManual } = await import('../commands/run-manual.js');
    return (await runManual(cmd, env)).exitCode;
  }
  const { runVserver } = await import('../commands/run-vserver.js');
  return (await runVserver(cmd, env)).exitCode;
}
