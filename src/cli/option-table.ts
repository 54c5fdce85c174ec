// The one table of command-line options: getopt, the yargs model, help text and man-page checks
// all derive from it, so adding an option is adding a row (plus its CommandLine field).
import type { CommandLine } from './command-line.js';
import { protectPolicies } from './command-line.js';

type SettingKey<V> = {
  [K in keyof CommandLine]-?: K extends 'positionals' ? never : CommandLine[K] extends V ? K : never;
}[keyof CommandLine];

/** What giving an option does; `key` names the CommandLine field it sets. */
export type OptionEffect =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  /** Idempotent boolean flag. */
  | { readonly kind: 'flag'; readonly key: SettingKey<boolean> }
  /** Each occurrence adds one. */
  | { readonly kind: 'count'; readonly key: SettingKey<number> }
  /** Takes the option's argument; the last occurrence wins. */
  | { readonly kind: 'value'; readonly key: SettingKey<string | undefined>; readonly choices?: readonly string[] }
  /** Sets a fixed number; several options may share the key, the last one given wins. */
  | { readonly kind: 'assign'; readonly key: SettingKey<number>; readonly value: number }
  /** Takes the option's argument; every occurrence adds one value, in the order given. */
  | { readonly kind: 'list'; readonly key: SettingKey<string[]> };

/** One option: how it is spelt, what it does, how help shows it, and whether upstream has it. */
export interface OptionRow {
  /** Long name without the leading `--`. */
  readonly name: string;
  /** Short option letter, if any. */
  readonly short?: string;
  readonly argument: 'none' | 'required';
  /** Placeholder for the argument in help (`<hashdir>`). */
  readonly valueName?: string;
  readonly effect: OptionEffect;
  readonly help: string;
  /** Help label where it differs from the generated one (upstream's help says `-n`, not `--dry-run`). */
  readonly helpLabel?: string;
  /** Upstream's own help lists this option; those lines keep upstream's wording and order. */
  readonly inUpstreamHelp: boolean;
  /** util-vserver's vhashify has this option. */
  readonly upstream: boolean;
}

/** Every option. Order matters: glibc lists ambiguous candidates in table order, so upstream's rows
 * come first in upstream's order; our rows follow and must not begin with the first letter of an
 * upstream name (h v d i s m r), or upstream's abbreviations would change meaning. */
export const optionTable: readonly OptionRow[] = [
  {
    name: 'help', argument: 'none', effect: { kind: 'help' },
    help: 'print this help and exit', inUpstreamHelp: false, upstream: true,
  },
  {
    name: 'version', argument: 'none', effect: { kind: 'version' },
    help: 'print version information and exit', inUpstreamHelp: false, upstream: true,
  },
  {
    name: 'destination', argument: 'required', valueName: 'hashdir',
    effect: { kind: 'value', key: 'destination' },
    help: "use <hashdir> as the hash directory (required with '--manually'; in vserver mode it replaces the configured one)",
    inUpstreamHelp: false, upstream: true,
  },
  // QUIRK Q02: upstream assigns the insecure level, so the last of --insecure/--sledgehammer wins and
  // --insecure (level 1) behaves like the default.
  {
    name: 'insecure', argument: 'none', effect: { kind: 'assign', key: 'insecureLevel', value: 1 },
    help: "accepted for compatibility; no effect except cancelling an earlier '--sledgehammer'",
    inUpstreamHelp: false, upstream: true,
  },
  {
    name: 'sledgehammer', argument: 'none', effect: { kind: 'assign', key: 'insecureLevel', value: 2 },
    help: 'link the guest files themselves into the hash directory instead of copies of them; safe only while nothing writes to them (guest stopped)',
    inUpstreamHelp: false, upstream: true,
  },
  {
    name: 'manually', argument: 'none', effect: { kind: 'flag', key: 'manual' },
    help: 'hashify generic paths; excludelists must be generated manually',
    inUpstreamHelp: true, upstream: true,
  },
  {
    name: 'refresh', argument: 'none', effect: { kind: 'flag', key: 'refresh' },
    help: 'hashify already hashified files also', inUpstreamHelp: true, upstream: true,
  },
  {
    name: 'ignore-mtime', argument: 'none', effect: { kind: 'flag', key: 'ignoreMtime' },
    help: 'ignore modification times: files that differ only in mtime share one entry and take its mtime',
    inUpstreamHelp: false, upstream: true,
  },
  {
    name: 'dry-run', short: 'n', argument: 'none', effect: { kind: 'flag', key: 'dryRun' }, helpLabel: '-n',
    help: "do not modify anything; just show what there will be done (in combination with '-v')",
    inUpstreamHelp: true, upstream: true,
  },
  {
    name: 'verbose', short: 'v', argument: 'none', effect: { kind: 'count', key: 'verbosity' }, helpLabel: '-v',
    help: 'verbose mode', inUpstreamHelp: true, upstream: true,
  },
  {
    name: 'protect', argument: 'required', valueName: 'policy',
    effect: { kind: 'value', key: 'protect', choices: protectPolicies },
    help: "how shared files are protected: 'vserver' (Linux-VServer kernel flags), 'immutable' (chattr +i), 'none' (plain hard links) or 'auto' (default: 'vserver' where the kernel has it, else refuse to run)",
    inUpstreamHelp: false, upstream: false,
  },
  {
    name: 'all', argument: 'none', effect: { kind: 'flag', key: 'all' },
    help: 'hashify every configured guest that has an apps/vunify directory, one after the other, in one process; prints only failures unless -v or --totals',
    inUpstreamHelp: false, upstream: false,
  },
  {
    name: 'no-wait', argument: 'none', effect: { kind: 'flag', key: 'noWait' },
    help: 'when another run holds the hash directory, exit with status 75 at once instead of waiting for it',
    inUpstreamHelp: false, upstream: false,
  },
  {
    name: 'overview', argument: 'none', effect: { kind: 'flag', key: 'overview' },
    help: 'report how far the guest (or every guest with --all) is hashified and what its store holds; reads no file content and changes nothing',
    inUpstreamHelp: false, upstream: false,
  },
  {
    name: 'gc', argument: 'none', effect: { kind: 'flag', key: 'gc' },
    help: "remove store entries no guest links any more, leftovers of crashed runs and empty directories from the guest's store (every store with --all); with -n only list them",
    inUpstreamHelp: false, upstream: false,
  },
  {
    name: 'audit', argument: 'none', effect: { kind: 'flag', key: 'audit' },
    help: "re-hash the store's entries; report those whose content or attributes no longer match their names, with the guest paths that link them (exit status 1)",
    inUpstreamHelp: false, upstream: false,
  },
  {
    name: 'audit-sample', argument: 'required', valueName: 'n', effect: { kind: 'value', key: 'auditSample' },
    help: "with '--audit': re-hash <n> entries chosen at random instead of all",
    inUpstreamHelp: false, upstream: false,
  },
  {
    name: 'fix', argument: 'none', effect: { kind: 'flag', key: 'fix' },
    help: "with '--audit': move damaged entries out of the store, giving every guest that links one its own copy of what it now holds",
    inUpstreamHelp: false, upstream: false,
  },
  {
    name: 'totals', argument: 'none', effect: { kind: 'flag', key: 'totals' },
    help: 'after the run, print what it did: files scanned, eligible, unified, skipped by reason, errors, bytes saved, new store entries, time (a dry run prints the plan)',
    inUpstreamHelp: false, upstream: false,
  },
  {
    name: 'json', argument: 'none', effect: { kind: 'flag', key: 'json' },
    help: "print one JSON document on standard output instead of any text lines there: a run's figures, or the '--overview', '--gc' or '--audit' report; errors still go to standard error",
    inUpstreamHelp: false, upstream: false,
  },
  {
    name: 'explain', argument: 'required', valueName: 'path', effect: { kind: 'value', key: 'explain' },
    help: 'say which exclude rule or package config file decides <path> (a path inside the guest, such as /etc/passwd) and what a run would do with it; changes nothing',
    inUpstreamHelp: false, upstream: false,
  },
  {
    name: 'check', argument: 'none', effect: { kind: 'flag', key: 'check' },
    help: 'check the configuration (exclude lists, hash directory, storage roots, protection) of the guest, of every guest with --all, or of the manual-mode arguments; changes nothing; exit status 1 when anything is wrong',
    inUpstreamHelp: false, upstream: false,
  },
  {
    name: 'unhashify', argument: 'none', effect: { kind: 'flag', key: 'unhashify' },
    help: "give the guest's files that are store entries private copies again, with owner, mode, times and extended attributes; --path and --package narrow it",
    inUpstreamHelp: false, upstream: false,
  },
  {
    name: 'unshared', argument: 'none', effect: { kind: 'flag', key: 'unshared' },
    help: 'with <vserver> -- <command>: hold the guest (--all skips it), unhashify it, run the command (a package upgrade, say), hashify the guest again',
    inUpstreamHelp: false, upstream: false,
  },
  {
    name: 'clone', argument: 'none', effect: { kind: 'flag', key: 'clone' },
    help: 'with <source> <new>: a new guest (or directory tree) from a hashified one; store entries are linked, everything else copied',
    inUpstreamHelp: false, upstream: false,
  },
  {
    name: 'path', argument: 'required', valueName: 'path', effect: { kind: 'list', key: 'paths' },
    help: 'with --unhashify or --unshared: only this path of the guest (a file, or a directory and all below it); may be repeated',
    inUpstreamHelp: false, upstream: false,
  },
  {
    name: 'package', argument: 'required', valueName: 'name', effect: { kind: 'list', key: 'packages' },
    help: "with --unhashify or --unshared: only the files of this package, from the guest's dpkg or rpm database; may be repeated",
    inUpstreamHelp: false, upstream: false,
  },
];
