// The test command: runs every compiled test file with node's test runner, then checks that the
// suite left the product's real cache directory exactly as it found it (tests must keep everything
// they make inside their own temporary directories).
import { spawnSync } from 'node:child_process';
import { lstatSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './support/paths.js';

/** Where the product keeps its inode index unless VHASHIFY_CACHE_DIR says otherwise. */
const PRODUCT_CACHE_DIR = '/var/cache/vhashify';

/** One line per path below `dir` (type, size, mtime), or a single line saying it is absent. */
export function listTree(dir: string): string[] {
  let top;
  try {
    top = lstatSync(dir);
  } catch {
    return [`${dir}: absent`];
  }
  const lines = [`${dir}: ${top.isDirectory() ? 'dir' : 'other'} ${top.mode.toString(8)}`];
  const visit = (path: string): void => {
    for (const name of readdirSync(path).sort()) {
      const full = join(path, name);
      const st = lstatSync(full);
      lines.push(`${relative(dir, full)} ${st.mode.toString(8)} ${st.size} ${st.mtimeMs}`);
      if (st.isDirectory()) visit(full);
    }
  };
  if (top.isDirectory()) visit(dir);
  return lines;
}

function findTestFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTestFiles(full));
    else if (entry.name.endsWith('.test.js')) found.push(full);
  }
  return found;
}

function main(): number {
  const selected = process.argv.slice(2);
  const files = selected.length > 0 ? selected : findTestFiles(join(repoRoot, 'dist', 'test')).sort();
  const before = listTree(PRODUCT_CACHE_DIR);
  const run = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], { stdio: 'inherit' });
  const after = listTree(PRODUCT_CACHE_DIR);
  const changed = before.length !== after.length || before.some((line, i) => line !== after[i]);
  if (changed) {
    process.stderr.write(`\nThe test suite changed ${PRODUCT_CACHE_DIR}; tests must point the product's cache into their own temporary directory.\n`);
    process.stderr.write(`before:\n  ${before.join('\n  ')}\nafter:\n  ${after.join('\n  ')}\n`);
    return 1;
  }
  process.stdout.write(`${PRODUCT_CACHE_DIR} is as the suite found it.\n`);
  return run.status ?? 1;
}

process.exitCode = main();
