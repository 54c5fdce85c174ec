// The demo's two sample guests: the same small distribution, with the differences real guests have.

/** One entry of a sample guest; content is generated, so the demo needs no data files. */
export type DemoEntry =
  | { kind: 'file'; path: string; content: Buffer; mode: number; mtime: number }
  | { kind: 'symlink'; path: string; target: string };

/** Why a sample file is there: shown to the reader before the runs. */
export interface DemoNote {
  path: string;
  note: string;
}

// One day in 2024, so every guest file has a fixed, whole-second modification time.
const RELEASE = 1_717_200_000;

/** `size` pseudo-random bytes from `seed` (the LCG of the golden vectors): deterministic "binaries". */
export function computeBinaryContent(seed: number, size: number): Buffer {
  const out = Buffer.alloc(size);
  let x = seed % 2 ** 31;
  for (let i = 0; i < size; i += 1) {
    // The low 31 bits of a*x + c only depend on the low 32 bits of a*x.
    x = (Math.imul(1103515245, x) + 12345) & 0x7fffffff;
    out[i] = (x >>> 16) & 0xff;
  }
  return out;
}

/** A text file of `lines` numbered lines about `topic`. */
export function computeTextContent(topic: string, lines: number): Buffer {
  const text: string[] = [];
  for (let i = 1; i <= lines; i += 1) text.push(`${topic}: line ${i} of ${lines}, the same in every guest of this release.`);
  return Buffer.from(`${text.join('\n')}\n`);
}

function createSharedEntries(): DemoEntry[] {
  const entries: DemoEntry[] = [];
  const binary = (path: string, seed: number, kib: number): void => {
    entries.push({ kind: 'file', path, content: computeBinaryContent(seed, kib * 1024), mode: 0o755, mtime: RELEASE });
  };
  const library = (path: string, seed: number, kib: number): void => {
    entries.push({ kind: 'file', path, content: computeBinaryContent(seed, kib * 1024), mode: 0o644, mtime: RELEASE });
  };
  const text = (path: string, lines: number): void => {
    entries.push({ kind: 'file', path, content: computeTextContent(path, lines), mode: 0o644, mtime: RELEASE });
  };
  binary('/bin/demo-shell', 1, 96);
  binary('/bin/demo-coreutils', 2, 160);
  binary('/usr/bin/demo-editor', 3, 64);
  binary('/usr/bin/demo-pager', 4, 40);
  binary('/usr/sbin/demo-daemon', 5, 48);
  library('/lib/libdemo-c.so.6', 6, 192);
  library('/usr/lib/libdemo-ssl.so.3', 7, 128);
  library('/usr/lib/libdemo-xml.so.2', 8, 72);
  library('/usr/lib/libdemo-z.so.1', 9, 24);
  entries.push({ kind: 'symlink', path: '/usr/lib/libdemo-z.so', target: 'libdemo-z.so.1' });
  for (const page of ['demo-shell', 'demo-coreutils', 'demo-editor', 'demo-pager', 'demo-grep', 'demo-daemon']) {
    text(`/usr/share/man/man1/${page}.1`, 60);
  }
  for (const pkg of ['demo-shell', 'demo-coreutils', 'demo-editor', 'libdemo-c', 'libdemo-ssl']) {
    text(`/usr/share/doc/${pkg}/README`, 40);
    text(`/usr/share/doc/${pkg}/copyright`, 25);
  }
  text('/etc/termcap', 120);
  text('/etc/demo/daemon.conf', 12);
  entries.push({ kind: 'file', path: '/etc/hostname', content: Buffer.from('guest\n'), mode: 0o644, mtime: RELEASE });
  entries.push({ kind: 'file', path: '/usr/share/doc/demo-shell/VERSION', content: Buffer.from('1.0.2\n'), mode: 0o644, mtime: RELEASE });
  text('/var/log/demo-daemon.log', 30);
  text('/root/.profile', 8);
  return entries;
}

/** The files of guest 1 and guest 2 (guest 2 has a newer grep, a library with another mtime, an extra doc). */
export function computeDemoGuests(): [DemoEntry[], DemoEntry[]] {
  const grep = (seed: number): DemoEntry =>
    ({ kind: 'file', path: '/usr/bin/demo-grep', content: computeBinaryContent(seed, 56 * 1024), mode: 0o755, mtime: RELEASE });
  const guest1 = [...createSharedEntries(), grep(10)];
  const guest2 = createSharedEntries().map((entry): DemoEntry =>
    entry.kind === 'file' && entry.path === '/usr/lib/libdemo-z.so.1' ? { ...entry, mtime: RELEASE + 3600 } : entry);
  guest2.push(grep(11), { kind: 'file', path: '/usr/share/doc/demo-grep/NEWS', content: computeTextContent('grep 3.12', 30), mode: 0o644, mtime: RELEASE });
  return [guest1, guest2];
}

/** What the sample guests are meant to show. */
export const demoNotes: readonly DemoNote[] = [
  { path: '/bin, /lib, /usr', note: 'identical in both guests: shared' },
  { path: '/usr/bin/demo-grep', note: 'a newer version in guest 2: different content, two entries' },
  { path: '/usr/lib/libdemo-z.so.1', note: 'same bytes, other mtime in guest 2: not shared without --ignore-mtime' },
  { path: '/usr/lib/libdemo-z.so', note: 'a symlink: never followed, never shared' },
  { path: '/usr/share/doc/demo-shell/VERSION', note: '6 bytes: below the 16-byte minimum' },
  { path: '/etc/demo, /etc/hostname', note: "configuration: excluded by the default list's /etc/*" },
  { path: '/etc/termcap', note: 're-included by +/etc/termcap: shared' },
  { path: '/var, /root', note: 'excluded by the default list' },
];
