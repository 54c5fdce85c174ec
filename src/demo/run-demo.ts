// `npm run demo`: builds two sample guests in a temporary directory, hashifies both with the real
// command (main() in-process, manual mode, --protect none), and measures what that saved.
import { lstatSync, realpathSync, rmSync } from 'node:fs';
import { relative } from 'node:path';
import { isatty } from 'node:tty';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { main } from '../cli/main.js';
import { createOutput, type Output } from '../report/output.js';
import { createDemoSite, type DemoSite } from './create-demo-site.js';
import { computeDemoGuests, demoNotes } from './demo-files.js';
import { createIndentedOutput } from './indented-output.js';
import {
  computeDiskUsage, countLinkedFiles, countSharedInodes, findEntryInodes, walkPaths, type DiskUsage,
} from './measure-usage.js';

/** What the process gives the demo; tests pass their own. */
export interface DemoHost {
  env: Record<string, string | undefined>;
  cwd: string;
  out?: Output;
}

const USAGE = 'usage: run-demo [--keep]   (--keep: leave the temporary directory and print its path)\n';

/** Runs the demo; returns the exit status (that of the first failing vhashify run, 2 for bad arguments). */
export async function runDemo(argv: readonly string[], host: DemoHost): Promise<number> {
  const print = host.out ?? createOutput(1, 2, true);
  const keep = argv.includes('--keep');
  if (argv.some((arg) => arg !== '--keep')) {
    print.err(USAGE);
    return 2;
  }
  const excludeSource = fileURLToPath(new URL('../../../compat/vunify-exclude', import.meta.url));
  const site = createDemoSite(computeDemoGuests(), excludeSource);
  try {
    printIntroduction(print, site);
    const before = computeDiskUsage(site.dir);
    for (const guest of site.guests) {
      const status = await runVhashify(print, site, guest, host);
      if (status !== 0) return status;
    }
    printResults(print, site, before, computeDiskUsage(site.dir));
    return 0;
  } finally {
    if (keep) print.out(`\nKept the demo directory: ${site.dir}\n`);
    else rmSync(site.dir, { recursive: true, force: true });
    print.flush();
  }
}

function printIntroduction(print: Output, site: DemoSite): void {
  const show = (path: string): string => relative(site.dir, path);
  print.out('vhashify demo: two sample guests that share most of their files\n');
  print.out(`  directory:  ${site.dir}\n`);
  print.out(`  guests:     ${site.guests.map(show).join(', ')}\n`);
  print.out(`  hash dir:   ${show(site.hashDir)} (method: sha1; storage root: root -> ../store)\n`);
  print.out(`  exclude:    ${show(site.excludeList)} (util-vserver's default list)\n\n`);
  print.out('What the samples show:\n');
  for (const { path, note } of demoNotes) print.out(`  ${path.padEnd(36)} ${note}\n`);
}

async function runVhashify(print: Output, site: DemoSite, guest: string, host: DemoHost): Promise<number> {
  const argv = ['--manually', '--destination', site.hashDir, '--protect', 'none', '-v', guest, site.excludeList];
  print.out(`\n$ vhashify ${argv.join(' ')}\n`);
  print.flush();
  const status = await main(argv, {
    argv0: 'vhashify',
    cwd: host.cwd,
    // The inode index goes into the demo directory, not /var/cache.
    env: { ...host.env, VHASHIFY_CACHE_DIR: site.cacheDir },
    out: createIndentedOutput('    ', print),
    stderrIsTTY: isatty(2),
    stdoutIsTTY: isatty(1),
  });
  print.out(`  exit status ${status}\n`);
  return status;
}

function printResults(print: Output, site: DemoSite, before: DiskUsage, after: DiskUsage): void {
  const entryInodes = findEntryInodes(site.store);
  const entries = [...walkPaths(site.store)].filter((path) => lstatSync(path).isFile()).sort();
  print.out(`\nThe store holds ${entries.length} entries, for example:\n`);
  for (const path of entries.slice(0, 3)) print.out(`  ${relative(site.dir, path)}\n`);
  print.out('\nMeasured with lstat over every inode below the directory (each inode once):\n');
  site.guests.forEach((guest, index) => {
    const { files, linked } = countLinkedFiles(guest, entryInodes);
    print.out(`  guest ${index + 1}: ${linked} of ${files} regular files are store entries now\n`);
  });
  print.out(`  shared by both guests: ${countSharedInodes(site.guests[0], site.guests[1])} files\n`);
  const saved = before.bytes - after.bytes;
  const percent = before.bytes === 0n ? 0n : (saved * 100n) / before.bytes;
  print.out(`  disk usage before: ${before.bytes} bytes in ${before.inodes} inodes\n`);
  print.out(`  disk usage after:  ${after.bytes} bytes in ${after.inodes} inodes\n`);
  print.out(`  saved: ${saved} bytes (${saved / 1024n} KiB, ${percent}% of before)\n`);
}

// The entry point for `node dist/src/demo/run-demo.js`; importing this module runs nothing.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  process.exitCode = await runDemo(process.argv.slice(2), { env: process.env, cwd: process.cwd() });
}
