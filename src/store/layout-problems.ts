// A hash dir conflated with its storage (spec 5.5, the "Duplicate hash-dir entry '00'" case): found
// before a real run writes anything, with the exact commands that give the store the right layout.
import { type Dirent, existsSync, lstatSync, opendirSync, realpathSync, statSync } from 'node:fs';
import { quoteShellWord } from '../report/shell-quote.js';
import { concatBytes, normalizeDirPrefix, toBytes } from './byte-text.js';

/** What is wrong with the layout of a hash dir. */
export type LayoutProblem =
  /** An entry (`root -> .`, `root -> ..`) leads to the hash dir itself or to a directory above it. */
  | { kind: 'root-encloses-hash-dir'; hashDir: Buffer; entry: Buffer; resolved: Buffer }
  /** The hash dir holds digest directories (`00`…`ff`): earlier runs used it as a storage root. */
  | { kind: 'digest-dirs-in-hash-dir'; hashDir: Buffer; resolved: Buffer; examples: Buffer[]; hashDirIsLink: boolean };

const DIGEST_DIR = /^[0-9a-f]{2}$/;

function readNames(dir: Buffer): Buffer[] {
  const handle = opendirSync(dir, { encoding: 'buffer' as BufferEncoding });
  const names: Buffer[] = [];
  try {
    for (let ent: Dirent | null = handle.readSync(); ent !== null; ent = handle.readSync()) names.push(ent.name as unknown as Buffer);
  } finally {
    handle.closeSync();
  }
  return names;
}

function realpathOrUndefined(path: Buffer): Buffer | undefined {
  try {
    return realpathSync(path, { encoding: 'buffer' });
  } catch {
    return undefined;
  }
}

function isDirectory(path: Buffer): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** True when `outer` is `inner` or one of the directories above it (both resolved paths). */
function isSameOrAbove(outer: Buffer, inner: Buffer): boolean {
  if (outer.equals(inner)) return true;
  const prefix = outer.length === 1 ? outer : concatBytes(outer, '/');
  return inner.length > prefix.length && inner.subarray(0, prefix.length).equals(prefix);
}

/**
 * Looks at the hash dir the way the storage-root enumeration does (entries that stat as
 * directories) and reports every sign that configuration and storage are one directory. Reads only;
 * a hash dir that cannot be read is left to the normal start-up, which reports it as upstream does.
 */
export function findLayoutProblems(hashDir: string | Buffer): LayoutProblem[] {
  const dir = toBytes(hashDir);
  const resolved = realpathOrUndefined(dir);
  if (resolved === undefined) return [];
  let names: Buffer[];
  try {
    names = readNames(dir);
  } catch {
    return [];
  }
  const prefix = concatBytes(normalizeDirPrefix(dir), '/');
  const problems: LayoutProblem[] = [];
  const digestDirs: Buffer[] = [];
  for (const name of names) {
    const path = concatBytes(prefix, name);
    if (!isDirectory(path)) continue;
    const target = realpathOrUndefined(path);
    if (target !== undefined && isSameOrAbove(target, resolved)) {
      problems.push({ kind: 'root-encloses-hash-dir', hashDir: dir, entry: name, resolved: target });
    } else if (DIGEST_DIR.test(name.toString('latin1'))) {
      digestDirs.push(name);
    }
  }
  if (digestDirs.length > 0) {
    digestDirs.sort(Buffer.compare);
    const hashDirIsLink = lstatSync(normalizeDirPrefix(dir)).isSymbolicLink();
    problems.push({ kind: 'digest-dirs-in-hash-dir', hashDir: dir, resolved, examples: digestDirs.slice(0, 3), hashDirIsLink });
  }
  return problems;
}

/** The configuration files that live in the hash dir itself (spec 5.2, and our `protect`). */
const CONFIG_NAMES = ['method', 'blocks', 'blocksize', 'protect'];

/**
 * Two lines for a refusal: what is wrong (nothing was changed), then the exact commands that fix
 * it. `suggestedStore` is where a new store directory would go (a directory on the guests' file
 * system, e.g. `/vservers/.hash`).
 */
export function formatLayoutProblem(problem: LayoutProblem, suggestedStore: string): Buffer {
  const { what, fix } = explainLayoutProblem(problem, suggestedStore);
  return concatBytes('vhashify: ', what, '; nothing was changed.\n', 'Fix: ', fix, '\n');
}

/** What is wrong (one sentence, no newline) and how to fix it: advice, a colon, then the exact commands. */
export function explainLayoutProblem(problem: LayoutProblem, suggestedStore: string): { what: Buffer; fix: Buffer } {
  const h = normalizeDirPrefix(problem.hashDir);
  if (problem.kind === 'root-encloses-hash-dir') {
    const entry = concatBytes(h, '/', problem.entry);
    const store = quoteShellWord(Buffer.from(suggestedStore));
    return {
      what: concatBytes(
        "the storage root '", entry, "' leads to '", problem.resolved, "', which holds the hash dir '", h,
        "' itself, so the digest directories would be made beside its configuration files",
      ),
      fix: concatBytes(
        'point the entry at a store directory of its own on the file system of the guests: rm ', quoteShellWord(entry),
        ' && mkdir -p ', store, ' && ln -s ', store, ' ', quoteShellWord(entry),
      ),
    };
  }
  const examples = problem.examples.map((e) => concatBytes("'", e, "'"));
  const what = concatBytes(
    "the hash dir '", h, "' holds digest directories (", Buffer.concat(examples.flatMap((e, i) => (i === 0 ? [e] : [Buffer.from(', '), e]))),
    '...): earlier runs used it as a storage root, so configuration and storage are one directory',
    " (the cause of \"Duplicate hash-dir entry '00' found\")",
  );
  if (problem.hashDirIsLink) {
    const r = quoteShellWord(problem.resolved);
    const present = CONFIG_NAMES.filter((name) => existsSync(concatBytes(problem.resolved, '/', name)));
    const moves = present.length === 0 ? Buffer.alloc(0) : concatBytes(
      ' && mv', Buffer.concat(present.map((name) => concatBytes(' ', quoteShellWord(concatBytes(problem.resolved, '/', name))))), ' ', quoteShellWord(concatBytes(h, '/')),
    );
    return {
      what,
      fix: concatBytes(
        'give the configuration a directory of its own and make the store its entry: rm ', quoteShellWord(h),
        ' && mkdir ', quoteShellWord(h), moves, ' && ln -s ', r, ' ', quoteShellWord(concatBytes(h, '/root')),
      ),
    };
  }
  return {
    what,
    fix: concatBytes(
      'move them into an entry of their own (on one file system, so nothing is copied): cd ', quoteShellWord(h),
      ' && mkdir -m 700 store && mv [0-9a-f][0-9a-f] store/',
    ),
  };
}
