// `--check` of one hash dir: its configuration files, storage roots and layout (spec 5.2–5.5) and the
// protection policy it names, each problem with what to do about it.
import { lstatSync, statSync } from 'node:fs';
import type { CheckReport } from '../report/check-report.js';
import { formatQuotedMessage } from '../report/quoted-message.js';
import { quotePath } from '../report/explain-lines.js';
import { quoteShellWord } from '../report/shell-quote.js';
import { concatBytes, normalizeDirPrefix, toBytes } from '../store/byte-text.js';
import { explainLayoutProblem } from '../store/layout-problems.js';
import type { StorageRoot } from '../store/storage-roots.js';
import { formatProofError, formatProofFix } from '../unify/prove-protection.js';
import { hasVserverKernel } from '../unify/vserver-protection.js';
import { checkProtection } from './choose-protection.js';
import type { StoreInspection } from './inspect-store.js';

const DIGEST_DIR = /^[0-9a-f]{2}$/;

/**
 * Adds the store's findings and notes; returns its usable storage roots (none when the store cannot
 * be used at all). `suggestedStore`: where a store directory of its own should go (`/vservers/.hash`).
 */
export function checkStore(store: StoreInspection, suggestedStore: string, report: CheckReport, vserverKernel?: boolean): StorageRoot[] {
  report.checked.stores += 1;
  const where = toBytes(store.printed);
  const h = normalizeDirPrefix(toBytes(store.hashDir));
  if (!store.config.ok) {
    report.finding(where, concatBytes(
      "the hash dir's configuration files cannot be used: ", Buffer.concat(store.config.messages.map((m, i) => concatBytes(i === 0 ? '' : '; ', m))),
    ), concatBytes('correct or remove the file the message names (a missing method, blocks or blocksize file means the default) in ', quoteShellWord(h)));
  }
  for (const problem of store.layout) {
    const { what, fix } = explainLayoutProblem(problem, suggestedStore);
    report.finding(where, what, fix);
  }
  if ('error' in store.roots) {
    const fix = store.roots.reason === 'no-storage-root'
      ? concatBytes('give it one entry per file system that holds guests: mkdir -p ', quoteShellWord(Buffer.from(suggestedStore)), ' && ln -s ',
        quoteShellWord(Buffer.from(suggestedStore)), ' ', quoteShellWord(concatBytes(h, '/root')))
      : undefined;
    report.finding(where, store.roots.error, fix);
    return [];
  }
  const { roots, duplicates } = store.roots;
  const hasDigestDirs = store.layout.some((p) => p.kind === 'digest-dirs-in-hash-dir');
  for (const name of duplicates) {
    if (hasDigestDirs && DIGEST_DIR.test(name.toString('latin1'))) continue; // the layout finding covers them
    const entry = concatBytes(h, '/', name);
    const fix = isSymlink(entry)
      ? concatBytes('rm ', quoteShellWord(entry))
      : concatBytes('move the directory ', quoteShellWord(entry), ' out of the hash dir (entries in it belong below the entry that is used)');
    report.finding(where, formatDuplicate(h, name, roots), fix);
  }
  checkPolicy(store, roots, report, vserverKernel);
  return roots;
}

function isSymlink(path: Buffer): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function formatDuplicate(h: Buffer, name: Buffer, roots: readonly StorageRoot[]): Buffer {
  let first: StorageRoot | undefined;
  try {
    const dev = statSync(concatBytes(h, '/', name), { bigint: true }).dev;
    first = roots.find((root) => root.dev === dev);
  } catch {
    // gone since it was listed
  }
  const winner = first === undefined ? Buffer.alloc(0) : concatBytes(' as ', quotePath(first.name), ', which comes first in the directory and is used');
  return concatBytes(
    'the entry ', quotePath(name), ' leads to the same file system', winner,
    "; it is ignored, and every run prints \"Duplicate hash-dir entry '", name, "' found\"",
  );
}

function checkPolicy(store: StoreInspection, roots: readonly StorageRoot[], report: CheckReport, vserverKernel?: boolean): void {
  const where = toBytes(store.printed);
  const protectFile = quoteShellWord(concatBytes(normalizeDirPrefix(toBytes(store.hashDir)), '/protect'));
  if (!store.policy.ok) {
    report.finding(where, formatQuotedMessage(store.policy.message));
    return;
  }
  const { policy } = store.policy;
  const source = store.policySource === '' ? '' : ` (${store.policySource})`;
  if (policy === 'none') {
    report.note(where, `protection 'none'${source}: shared files are plain hard links, so an in-place write in one guest shows in every guest that shares the file; for trusted guests only`);
    return;
  }
  const onVserverKernel = vserverKernel ?? hasVserverKernel();
  if (policy === 'vserver' && !onVserverKernel) {
    report.finding(where, `protection 'vserver'${source} on a kernel without Linux-VServer support: every file is skipped as 'operation not supported', so nothing is shared`, concatBytes(
      "choose 'immutable' (or 'none' for trusted guests only): echo immutable > ", protectFile,
    ));
    return;
  }
  if (roots.length === 0) return;
  for (const proof of checkProtection(policy, store.hashDir, onVserverKernel)) {
    if (proof.kind === 'failed') {
      report.finding(proof.root.pathBytes, `protection '${policy}'${source} cannot be applied: this storage root does not take the immutable flag (${formatProofError(proof.failure)})`, formatProofFix(proof.failure));
    } else if (proof.kind === 'not-proved') {
      report.note(proof.root.pathBytes, `protection '${policy}' not tried here: ${proof.reason}`);
    }
  }
}
