// Our one line after upstream's `Failed to initialize unification for vserver`, saying what to do.
import { concatBytes } from '../store/byte-text.js';
import type { GuestFailure } from './resolve-guest.js';
import { quoteShellWord } from '../report/shell-quote.js';

/** The upstream message every resolution failure prints first (spec 2.3). */
export const RESOLUTION_FAILED_MESSAGE = 'Failed to initialize unification for vserver\n';

/** A hint line, and whether it is printed even when stderr is no terminal. */
export interface GuestFailureHint {
  text: Buffer;
  /** The missing `apps/vunify` hint is part of our output everywhere (vectors: deliberate step). */
  always: boolean;
}

/** The hint for a failed resolution: which file or directory is wrong and how to fix it. */
export function formatGuestFailureHint(failure: GuestFailure): GuestFailureHint {
  switch (failure.kind) {
    case 'no-appdir':
      return {
        text: concatBytes(
          "vhashify: '",
          failure.appdir,
          "' does not exist: hashify works only on guests that have it; create it with: mkdir -p ",
          quoteShellWord(failure.appdir),
          '\n',
        ),
        always: true,
      };
    case 'no-vdir':
      return {
        text: concatBytes(
          'vhashify: ',
          failure.vdirLink,
          failure.error === undefined ? ' is not a directory' : ` does not lead to a directory (${failure.error.code ?? failure.error.message})`,
          "; point it at the guest's root directory\n",
        ),
        always: false,
      };
    case 'legacy':
      return {
        text: concatBytes("vhashify: '", failure.name, "' is a legacy-style guest, which vhashify does not support; convert it to a configuration directory\n"),
        always: false,
      };
    case 'unknown':
      return {
        text: concatBytes("vhashify: no guest '", failure.name, "': ", failure.cfgdir, '/vdir is not a directory\n'),
        always: false,
      };
  }
}
