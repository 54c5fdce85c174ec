// Loads koffi and glibc on first use, once per thread (each worker thread has its own module state).
import { createRequire } from 'node:module';
import { declareLibcFunctions, type LibcFunctions } from './libc-functions.js';
import { SysError } from './sys-error.js';

type Koffi = typeof import('koffi');

/** The loaded layer: the declared functions, koffi's errno reader and its address-of for buffers. */
export interface Libc extends LibcFunctions {
  errno(): number;
  /** The address of a Buffer's bytes, to store in a struct that the kernel reads (off-heap: it never moves). */
  address(buf: Buffer): bigint;
}

/** The layer cannot run here (platform, architecture, C library or koffi); there is no fallback. */
export class SysLayerUnavailableError extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'SysLayerUnavailableError';
  }
}

let libc: Libc | undefined;
let problem: SysLayerUnavailableError | undefined;

/**
 * The C functions of this thread, loaded on the first call. Nothing happens at import time, so
 * `--help` and `--version` work anywhere; the first system call on an unsupported host throws a
 * SysLayerUnavailableError (and every later one throws the same).
 */
export function loadLibc(): Libc {
  if (libc !== undefined) return libc;
  if (problem !== undefined) throw problem;
  try {
    libc = openLibc();
  } catch (error) {
    problem = error instanceof SysLayerUnavailableError
      ? error
      : new SysLayerUnavailableError(`the system-call layer failed to start: ${describe(error)}`, { cause: error });
    throw problem;
  }
  return libc;
}

/** Why the layer cannot run on this host (for the CLI to report at start-up), or undefined when it can. */
export function describeSysLayerProblem(): string | undefined {
  try {
    loadLibc();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Throws the SysError for the call that just returned -1. Call it as the very next step after the
 * C call: errno is per thread, and only JavaScript code (no other system call) runs in between.
 */
export function throwErrno(c: Libc, syscall: string): never {
  throw new SysError(syscall, c.errno());
}

function openLibc(): Libc {
  // Constants, struct layouts and the vserver system call number are x86_64 Linux facts.
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new SysLayerUnavailableError(
      `vhashify needs x86_64 Linux with glibc; this is ${process.platform}-${process.arch}`,
    );
  }
  let koffi: Koffi;
  try {
    koffi = createRequire(import.meta.url)('koffi') as Koffi;
  } catch (error) {
    throw new SysLayerUnavailableError(
      `cannot load koffi (reinstall vhashify so npm installs @koromix/koffi-linux-x64): ${describe(error)}`,
      { cause: error },
    );
  }
  let lib;
  try {
    lib = koffi.load('libc.so.6');
  } catch (error) {
    throw new SysLayerUnavailableError(`cannot load libc.so.6 (vhashify needs glibc): ${describe(error)}`, { cause: error });
  }
  let functions: LibcFunctions;
  try {
    functions = declareLibcFunctions(lib);
  } catch (error) {
    throw new SysLayerUnavailableError(`this glibc is too old for vhashify (2.28 or later needed): ${describe(error)}`, {
      cause: error,
    });
  }
  return { ...functions, errno: () => koffi.errno(), address: (buf) => koffi.address(buf) };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
