// Bounds on what a guest's package database may make us read (a hostile guest can plant huge files).

/** Caps for reading package databases out of a guest. */
export interface ConffileLimits {
  /** One `*.conffiles` file (real ones are a few KiB). */
  maxFileBytes: number;
  /** All `*.conffiles` files together. */
  maxTotalBytes: number;
  /** Entries in one directory listing (`var/lib/dpkg/info` holds some tens of thousands). */
  maxNames: number;
  /** An rpm database copied out of a guest (real ones: tens to a few hundred MiB). */
  maxRpmDbBytes: number;
}

/** The caps used unless a caller (a test) gives others. */
export const DEFAULT_CONFFILE_LIMITS: Readonly<ConffileLimits> = Object.freeze({
  maxFileBytes: 1 << 20,
  maxTotalBytes: 64 << 20,
  maxNames: 1_000_000,
  maxRpmDbBytes: 4 * 1024 ** 3,
});
