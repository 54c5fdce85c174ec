// `--explain PATH`: what a run of this guest (vserver mode) or tree (manual mode) would decide about
// one path, and why. Everything a run reads first is read the same way; nothing is changed.
import type { CommandLine } from '../cli/command-line.js';
import type { ExcludeFileResult } from '../exclude/read-exclude-file.js';
import { readExcludeFile } from '../exclude/read-exclude-file.js';
import { formatQuotedMessage } from '../report/quoted-message.js';
import { quotePath } from '../report/explain-lines.js';
import { formatErrno } from '../report/strerror.js';
import { concatBytes } from '../store/byte-text.js';
import { resolveHashDir } from '../store/hash-config.js';
import { explainPath, type ExplainSubject } from './explain-path.js';
import { inspectStore } from './inspect-store.js';
import { listGuestRules, readGuestSettings } from './read-guest-settings.js';
import { loadInstallation } from './run-vserver.js';
import type { RunEnvironment, RunResult } from './traverse-guest.js';
import { resolveNamedGuest } from './resolve-named-guest.js';

/** Explains `path` for the guest or tree the command line names; exit 0 once it is explained. */
export async function runExplain(cmd: CommandLine, env: RunEnvironment, path: Buffer): Promise<RunResult> {
  const subject = cmd.manual ? readManualSubject(cmd, env) : await readVserverSubject(cmd, env);
  if (subject === undefined) return { exitCode: 1 };
  return explainPath(subject, path, cmd, env);
}

function describeExcludeList(path: Buffer, read: ExcludeFileResult, problems: Buffer[]): Buffer {
  if (path.length === 0) return Buffer.from("no exclude list ('' was given)");
  if (read.error === undefined) return concatBytes(quotePath(path), ` (${read.rules.length} entries)`);
  problems.push(concatBytes(
    'the exclude list ', quotePath(path), ` cannot be read (${formatErrno(read.error)}): a real run refuses to start; a dry run includes everything (QUIRK Q08)`,
  ));
  return concatBytes(quotePath(path), ' (unreadable: no entries)');
}

// Manual mode: the tree and the exclude list are the positionals, the hash dir is --destination.
function readManualSubject(cmd: CommandLine, env: RunEnvironment): ExplainSubject | undefined {
  const [root, excludeArg] = cmd.positionals;
  if (excludeArg === undefined) {
    env.out.err('No exclude list specified\n');
    if (env.hints) env.out.err('Give the exclude list as the second path (an empty string means none).\n');
    return undefined;
  }
  const problems: Buffer[] = [];
  const excludes = readExcludeFile(excludeArg);
  const lists = describeExcludeList(excludeArg, excludes, problems);
  const hashDir = resolveHashDir(cmd.destination ?? '', env.cwd);
  return {
    heading: concatBytes('in the tree ', quotePath(root!), ' (manual mode)'),
    root: root!,
    rules: excludes.rules,
    lists,
    problems,
    store: inspectStore(hashDir, hashDir, cmd.protect, env.vserverKernel),
  };
}

// vserver mode: the guest resolved as a run resolves it, then its package config files, exclude list and hash dir.
async function readVserverSubject(cmd: CommandLine, env: RunEnvironment): Promise<ExplainSubject | undefined> {
  const inst = loadInstallation(env);
  if (inst === undefined) return undefined;
  const guest = resolveNamedGuest(inst, cmd, env, 'Name one guest; options, --explain and its path included, go before the name.\n');
  if (guest === undefined) return undefined;
  const settings = await readGuestSettings(inst, guest, cmd, env);
  const problems: Buffer[] = [];
  let conffiles: Buffer;
  if (!settings.pkgmgmt.enabled) {
    conffiles = concatBytes('no package configuration files (', quotePath(settings.pkgmgmt.decidedBy ?? ''), ' exists)');
  } else if (settings.conffiles?.ok === true) {
    conffiles = concatBytes(`${settings.conffiles.rules.length} package configuration files (`, settings.conffiles.style, ')');
  } else {
    conffiles = Buffer.from('no package configuration files (they cannot be listed)');
    problems.push(concatBytes('failed to determine configfiles: ', formatQuotedMessage(settings.conffiles?.ok === false ? settings.conffiles.message : '')));
  }
  const exclude = describeExcludeList(settings.exclude.path, settings.excludes, problems);
  let store;
  if (settings.hashDir === undefined) {
    problems.push(Buffer.from('no hash-directory configured for this vserver.'));
  } else {
    store = inspectStore(settings.hashDir.path.toString('utf8'), settings.hashDir.printed, cmd.protect, env.vserverKernel);
  }
  return {
    heading: concatBytes('in guest ', quotePath(guest.name), ' (root ', quotePath(guest.vdir), ')'),
    root: guest.vdir,
    rules: listGuestRules(settings),
    lists: concatBytes(conffiles, ', then ', exclude),
    problems,
    ...(store === undefined ? {} : { store }),
  };
}
