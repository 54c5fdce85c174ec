// `npm run bench:setup`: builds the three real guests once (debootstrap) into the bench directory.
import { mkdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createBenchLayout, findBenchDir } from './bench-dir.js';
import { createGuestTarball, GUEST_SPECS } from './debootstrap-guests.js';
import { hasProgram } from './run-command.js';

/** Builds whatever is missing; returns the exit status. `--force` rebuilds every guest. */
export function setupBench(argv: readonly string[], env: Record<string, string | undefined>): number {
  const unknown = argv.filter((arg) => arg !== '--force');
  if (unknown.length > 0) {
    process.stderr.write(`bench:setup: unknown argument ${unknown[0]} (only --force is accepted)\n`);
    return 2;
  }
  if (process.getuid?.() !== 0) {
    process.stderr.write('bench:setup: debootstrap needs root\n');
    return 1;
  }
  if (!hasProgram('debootstrap')) {
    process.stderr.write('bench:setup: debootstrap is missing; install it with: apt-get update && apt-get install -y debootstrap\n');
    return 1;
  }
  const layout = createBenchLayout(findBenchDir(env));
  mkdirSync(layout.root, { recursive: true });
  const log = (text: string): void => void process.stdout.write(`bench:setup: ${text}\n`);
  for (const spec of GUEST_SPECS) createGuestTarball(layout, spec, argv.includes('--force'), log);
  log(`pristine tarballs are in ${layout.pristineDir}`);
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = setupBench(process.argv.slice(2), process.env);
}
