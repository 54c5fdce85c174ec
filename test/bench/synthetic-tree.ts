// The synthetic guest generator: Debian-like packages spread over deep and wide directories, two guests sharing most of them.
import { computeSeed, computeUnit, createRandom, drawLogNormal, pickIndex, type Random } from './synthetic-random.js';
import { MAX_SYNTHETIC_SIZE } from './synthetic-content.js';

/** One entry of a synthetic guest; directories are implied by the paths. */
export interface SyntheticEntry {
  guest: number;
  kind: 'file' | 'symlink';
  /** Guest-relative, starting with `/`; names are bytes (a few are not UTF-8). */
  path: Buffer;
  /** Files: identical (contentSeed, size) means identical bytes. */
  size: number;
  contentSeed: number;
  /** Permission bits (07777). */
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  /** Symlinks only. */
  target?: Buffer;
}

/** The shape of the generated set; the defaults model two guests of one Debian release. */
export interface SyntheticShape {
  /** Regular files over all guests (symlinks come on top). */
  files: number;
  seed: number;
  guests: number;
  /** Chance that a guest has a given package; the rest is guest-specific software. */
  packageShare: number;
  /** Chance that a file of a shared package differs in one guest (edited, other build). */
  variantShare: number;
}

/** Two guests that share most packages: the J4 setting. */
export const DEFAULT_SHAPE: Omit<SyntheticShape, 'files'> = { seed: 1, guests: 2, packageShare: 0.85, variantShare: 0.03 };

const SIZE_MEDIAN = 1400;
const SIZE_SIGMA = 1.45;
const TINY_SHARE = 0.02;
const MAX_DEPTH = 16;
const LICENCES = 12;
const LICENCE_MTIMES = [1609459200, 1640995200, 1672531200];
const LANGS = ['ar', 'bg', 'ca', 'cs', 'da', 'de', 'el', 'eo', 'es', 'et', 'eu', 'fi', 'fr', 'gl', 'he', 'hu', 'id', 'it', 'ja', 'ko',
  'lt', 'nb', 'nl', 'pl', 'pt', 'pt_BR', 'ro', 'ru', 'sk', 'sl', 'sr', 'sv', 'tr', 'uk', 'vi', 'zh_CN', 'zh_TW'];
const BASES = ['/usr/lib/', '/usr/share/', '/usr/lib/python3/dist-packages/', '/usr/share/perl5/', '/usr/lib/x86_64-linux-gnu/'];
const EXTS = ['', '.py', '.pm', '.so.1', '.h', '.txt', '.json', '.xml', '.png', '.js', '.conf', '.gz'];

/** Splits `files` regular files over the guests: guest g gets its share, the last one the remainder. */
export function computeGuestTargets(files: number, guests: number): number[] {
  const each = Math.floor(files / guests);
  return Array.from({ length: guests }, (_, g) => (g === guests - 1 ? files - each * (guests - 1) : each));
}

/** Yields every entry of every guest, guest by guest, in a fixed order; memory stays per package. */
export function* planSyntheticGuests(shape: SyntheticShape): Generator<SyntheticEntry> {
  const targets = computeGuestTargets(shape.files, shape.guests);
  for (let guest = 0; guest < shape.guests; guest += 1) {
    let remaining = targets[guest]!;
    for (let pkg = 0; remaining > 0; pkg += 1) {
      if (computeUnit(shape.seed, 7, guest, pkg) >= shape.packageShare) continue;
      const entries = planPackage(shape.seed, pkg);
      const files = entries.filter((e) => e.kind === 'file');
      const complete = files.length <= remaining;
      for (const [index, entry] of entries.entries()) {
        if (entry.kind === 'file') {
          if (remaining === 0) break;
          remaining -= 1;
          const variant = computeUnit(shape.seed, 11, guest, pkg, index) < shape.variantShare;
          yield { ...entry, guest, contentSeed: variant ? computeSeed(entry.contentSeed, guest + 1) : entry.contentSeed };
        } else if (complete) {
          yield { ...entry, guest };
        }
      }
    }
  }
}

/** One package's entries; depends only on (seed, package), so every guest that has it gets the same bytes. */
export function planPackage(seed: number, pkg: number): SyntheticEntry[] {
  const random = createRandom(computeSeed(seed, 3, pkg));
  const name = `${formatWord(random)}-${pkg}`;
  const count = Math.max(1, Math.min(3000, Math.round(drawLogNormal(random, 22, 1.1))));
  const pkgMtime = 1672531200 + pickIndex(random, 40_000_000);
  const owned = random() < 0.03;
  const owner = owned ? 100 + (pkg % 50) : 0;
  const base = `${BASES[pickIndex(random, BASES.length)]!}${name}`;
  const dirs: { path: string; depth: number }[] = [{ path: base, depth: base.split('/').length - 1 }];
  const entries: SyntheticEntry[] = [];
  const file = (path: string, mode: number, size: number, contentSeed = computeSeed(seed, 5, pkg, entries.length), mtime = pkgMtime): void => {
    entries.push({ guest: 0, kind: 'file', path: formatName(path, random), size, contentSeed, mode, uid: owner, gid: owner, mtime });
  };
  for (let i = 0; i < count; i += 1) {
    const r = random();
    if (r < 0.05) file(`/usr/bin/${name}${i === 0 ? '' : `-${i}`}`, random() < 0.02 ? 0o4755 : 0o755, drawSize(random, 3));
    else if (r < 0.11) {
      const section = 1 + pickIndex(random, 8);
      file(`/usr/share/man/man${section}/${name}-${i}.${section}.gz`, 0o644, drawSize(random, 1));
    } else if (r < 0.16) file(`/var/lib/dpkg/info/${name}.f${i}`, 0o644, drawSize(random, 0.5));
    else if (r < 0.19) file(`/etc/${name}/c${i}.conf`, random() < 0.2 ? 0o600 : 0o644, drawSize(random, 1));
    else if (r < 0.25) {
      // Licence texts: the same few contents again and again; some share their metadata too.
      const licence = pickIndex(random, LICENCES);
      const mtime = random() < 0.6 ? LICENCE_MTIMES[licence % LICENCE_MTIMES.length]! : pkgMtime;
      file(`/usr/share/doc/${name}/copyright${i}`, 0o644, 800 + licence * 1500, computeSeed(seed, 9, licence), mtime);
    } else if (r < 0.35) file(`/usr/share/locale/${LANGS[pickIndex(random, LANGS.length)]!}/LC_MESSAGES/${name}-${i}.mo`, 0o644, drawSize(random, 2));
    else {
      if (random() < 0.3) {
        const parent = random() < 0.5 ? dirs[dirs.length - 1]! : dirs[pickIndex(random, dirs.length)]!;
        if (parent.depth < MAX_DEPTH) dirs.push({ path: `${parent.path}/${formatWord(random)}${dirs.length}`, depth: parent.depth + 1 });
      }
      const dir = random() < 0.5 ? dirs[dirs.length - 1]! : dirs[pickIndex(random, dirs.length)]!;
      const ext = EXTS[pickIndex(random, EXTS.length)]!;
      file(`${dir.path}/${formatWord(random)}-${i}${ext}`, random() < 0.05 ? 0o755 : 0o644, drawSize(random, 1));
    }
  }
  const links = Math.round(count * 0.1);
  for (let k = 0; k < links; k += 1) {
    const path = k % 2 === 0 ? `/usr/bin/${name}-alias${k}` : `${base}/lib${k}.so`;
    const target = k % 2 === 0 ? name : `lib${k}.so.1`;
    entries.push({ guest: 0, kind: 'symlink', path: Buffer.from(path), size: 0, contentSeed: 0, mode: 0o777, uid: 0, gid: 0, mtime: pkgMtime, target: Buffer.from(target) });
  }
  return entries;
}

function drawSize(random: Random, scale: number): number {
  if (random() < TINY_SHARE) return pickIndex(random, 16);
  const size = Math.round(drawLogNormal(random, SIZE_MEDIAN * scale, SIZE_SIGMA));
  return Math.max(16, Math.min(MAX_SYNTHETIC_SIZE, size));
}

function formatWord(random: Random): string {
  const consonants = 'bcdfghklmnprstvz';
  const vowels = 'aeiou';
  let word = '';
  for (let n = 2 + pickIndex(random, 3); n > 0; n -= 1) word += consonants[pickIndex(random, 16)]! + vowels[pickIndex(random, 5)]!;
  return word;
}

/** Names are bytes: one file name in 400 ends in a byte that is not UTF-8. */
function formatName(path: string, random: Random): Buffer {
  const bytes = Buffer.from(path, 'latin1');
  return random() < 0.0025 ? Buffer.concat([bytes, Buffer.from([0xe9, 0xff])]) : bytes;
}
