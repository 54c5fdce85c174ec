// The benchmark's command line: which jobs, how many runs, which synthetic sizes, where results go.

/** The jobs of issue 3. */
export type JobId = 'J1' | 'J2' | 'J3' | 'J4';

/** What one `npm run bench` does. */
export interface BenchOptions {
  jobs: JobId[];
  runs: number;
  /** Synthetic sizes in regular files (J4). */
  sizes: number[];
  /** Results file; undefined: `<bench dir>/results-<date>.json`. */
  out: string | undefined;
  /** Upstream's vhashify for the upstream rows: a path, `false` for none, undefined for `<bench dir>/upstream/vhashify` if built. */
  upstream: string | false | undefined;
  help: boolean;
}

/** The usage text for `npm run bench -- --help`. */
export const BENCH_USAGE = `usage: npm run bench -- [--jobs J1,J2,J3,J4] [--runs N] [--sizes 20k,200k,1M] [--out FILE] [--upstream PATH | --no-upstream]
  J1  three real guests into one store (copy mode, sha1, --protect none), vs hardlink -s 16 and the sha1sum floor
  J2  the same again on the hashified guests (daily run), vs hardlink's re-run
  J3  J1 with a cold page cache, vs hardlink and the floor, each cold
  J4  synthetic guests (two guests sharing most files) at the given sizes
  --upstream PATH  upstream's C vhashify (built by test/bench/build-upstream.sh), measured in J1 like ours;
                   default: <bench dir>/upstream/vhashify when it exists; --no-upstream leaves it out
  The bench directory is $VHASHIFY_BENCH_DIR (default /var/tmp/vhashify-bench); run npm run bench:setup first.
`;

const ALL_JOBS: readonly JobId[] = ['J1', 'J2', 'J3', 'J4'];

/** Parses `20k`, `200k`, `1M` or a plain number into a file count. */
export function parseFileCount(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(text.trim());
  if (match === null) return undefined;
  const scale = match[2] === '' ? 1 : match[2]!.toLowerCase() === 'k' ? 1e3 : 1e6;
  const value = Math.round(Number(match[1]) * scale);
  return value >= 2 ? value : undefined;
}

/** Formats a file count the way sizes are written on the command line (20k, 1M). */
export function formatFileCount(count: number): string {
  if (count >= 1e6 && count % 1e5 === 0) return `${count / 1e6}M`;
  if (count >= 1e3 && count % 100 === 0) return `${count / 1e3}k`;
  return String(count);
}

/** Parses the arguments after `npm run bench --`; returns an error text for anything unknown or malformed. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions | { error: string } {
  const options: BenchOptions = { jobs: [...ALL_JOBS], runs: 3, sizes: [20_000, 200_000, 1_000_000], out: undefined, upstream: undefined, help: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string | undefined => (eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : argv[++i]);
    if (name === '--help' || name === '-h') options.help = true;
    else if (name === '--jobs') {
      const jobs = (value() ?? '').split(',').map((j) => j.trim().toUpperCase()).filter((j) => j !== '');
      const bad = jobs.find((j) => !(ALL_JOBS as readonly string[]).includes(j));
      if (jobs.length === 0 || bad !== undefined) return { error: `--jobs: unknown job '${bad ?? ''}' (choose from ${ALL_JOBS.join(',')})` };
      options.jobs = ALL_JOBS.filter((j) => jobs.includes(j));
    } else if (name === '--runs') {
      const text = value() ?? '';
      const runs = Number(text);
      if (!/^\d+$/.test(text) || runs < 1) return { error: `--runs: '${text}' is not a positive whole number` };
      options.runs = runs;
    } else if (name === '--sizes') {
      const texts = (value() ?? '').split(',').filter((s) => s !== '');
      const sizes = texts.map(parseFileCount);
      const bad = texts.find((_, k) => sizes[k] === undefined);
      if (texts.length === 0 || bad !== undefined) return { error: `--sizes: '${bad ?? ''}' is not a file count like 20k or 1M` };
      options.sizes = sizes as number[];
    } else if (name === '--out') {
      const out = value();
      if (out === undefined || out === '') return { error: '--out needs a file name' };
      options.out = out;
    } else if (name === '--upstream') {
      const path = value();
      if (path === undefined || path === '') return { error: '--upstream needs the path of a vhashify binary' };
      options.upstream = path;
    } else if (name === '--no-upstream') options.upstream = false;
    else return { error: `unknown argument '${arg}'` };
  }
  return options;
}
