// `--check`: a configuration doctor for one guest, every guest (`--all`) or manual mode's arguments.
// It reads what runs would use, changes nothing, prints what it finds on stdout and exits 1 when it
// finds anything (notes alone leave the status 0).
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CommandLine } from '../cli/command-line.js';
import type { Installation } from '../config/installation.js';
import { listGuests } from '../config/list-guests.js';
import { createMatchList } from '../exclude/match-list.js';
import { readExcludeFile } from '../exclude/read-exclude-file.js';
import { CheckReport, formatCheckItem, formatCheckSummary } from '../report/check-report.js';
import { quotePath } from '../report/explain-lines.js';
import { quoteShellWord } from '../report/shell-quote.js';
import { concatBytes, toBytes } from '../store/byte-text.js';
import { resolveHashDir } from '../store/hash-config.js';
import { checkCoverage } from './check-coverage.js';
import { checkExcludeList } from './check-exclude-list.js';
import { checkGuest, createCheckedOnce, type CheckedOnce } from './check-guest.js';
import { checkStore } from './check-store.js';
import { inspectStore } from './inspect-store.js';
import { loadInstallation } from './run-vserver.js';
import type { RunEnvironment, RunResult } from './traverse-guest.js';

/** Checks what the command line names; exit 0 without findings, 1 with findings or when it cannot check. */
export async function runCheck(cmd: CommandLine, env: RunEnvironment): Promise<RunResult> {
  const report = new CheckReport();
  const checked = cmd.manual ? checkManual(cmd, env, report) : await checkInstallation(cmd, env, report);
  if (!checked) return { exitCode: 1 };
  env.out.out(Buffer.concat([...report.items.map(formatCheckItem), Buffer.from(formatCheckSummary(report))]));
  return { exitCode: report.count('finding') > 0 ? 1 : 0 };
}

// Manual mode: the exclude list and the hash dir given, and the tree's file systems.
function checkManual(cmd: CommandLine, env: RunEnvironment, report: CheckReport): boolean {
  const [tree, excludeArg] = cmd.positionals;
  if (excludeArg === undefined) {
    env.out.err('No exclude list specified\n');
    if (env.hints) env.out.err('Give the exclude list as the second path (an empty string means none).\n');
    return false;
  }
  if (excludeArg.length > 0) checkExcludeList(excludeArg, report, "fix the path, or pass '' for no exclude list");
  const hashDir = resolveHashDir(cmd.destination ?? '', env.cwd);
  const roots = checkStore(inspectStore(hashDir, hashDir, cmd.protect, env.vserverKernel), '/vservers/.hash', report, env.vserverKernel);
  if (roots.length === 0) return true;
  let root: Buffer;
  try {
    root = realpathSync.native(tree!, { encoding: 'buffer' });
  } catch (error) {
    report.finding(tree!, `the tree cannot be entered (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    return true;
  }
  const matchList = createMatchList(readExcludeFile(excludeArg).rules);
  checkCoverage({ label: quotePath(tree!), root, decide: (p) => matchList.decide(p), storeSites: [] }, hashDir, hashDir, roots, report);
  return true;
}

// vserver mode: the installation, then the named guest or (--all) every configured one.
async function checkInstallation(cmd: CommandLine, env: RunEnvironment, report: CheckReport): Promise<boolean> {
  const inst = loadInstallation(env);
  if (inst === undefined) return false;
  const once = createCheckedOnce();
  checkPackagedDefault(inst, report, once);
  if (!cmd.all) {
    if (cmd.positionals.length > 1) {
      env.out.err('More than one vserver is not supported\n');
      if (env.hints) env.out.err('Name one guest, or use --all for every guest that has apps/vunify; options go before the name.\n');
      return false;
    }
    await checkGuest(inst, cmd.positionals[0]!, cmd, env, report, once);
    return true;
  }
  if (cmd.positionals.length > 0) {
    env.out.err("vhashify: '--all' takes no guest name\n");
    return false;
  }
  let guests;
  try {
    guests = listGuests(inst, { cwd: env.cwd, env: env.vars ?? {} });
  } catch (error) {
    env.out.err(concatBytes("vhashify: cannot list the guests in '", inst.confDir, `': ${(error as Error).message}\n`));
    return false;
  }
  for (const listed of guests) {
    if (listed.optedIn) {
      await checkGuest(inst, listed.name, cmd, env, report, once);
      continue;
    }
    report.note(concatBytes('guest ', quotePath(listed.name)), "--all leaves it out: it has no apps/vunify directory (that is how a guest opts in)", concatBytes(
      'to include it: mkdir -p ', quoteShellWord(concatBytes(inst.confDir, '/', listed.name, '/apps/vunify')),
    ));
  }
  return true;
}

// The last link of every guest's exclude-list chain (checked here, once), and what
// util-vserver-vars held that was not understood.
function checkPackagedDefault(inst: Installation, report: CheckReport, once: CheckedOnce): void {
  const packaged = concatBytes(inst.defaultsDir, '/vunify-exclude');
  once.lists.add(packaged.toString('latin1'));
  const shipped = fileURLToPath(new URL('../../../compat/vunify-exclude', import.meta.url));
  checkExcludeList(packaged, report, concatBytes(
    'restore the packaged default list (guests without a list of their own use it): cp ', quoteShellWord(Buffer.from(shipped)), ' ', quoteShellWord(packaged),
  ));
  for (const problem of inst.problems) {
    report.note(concatBytes(toBytes(inst.varsFile), `:${problem.line}`), `not understood, ignored: ${problem.message}`);
  }
}
