// A store opened for the administration modes: configuration read without creating anything, each
// storage root opened once and listed (its inventory).
import { readStoreInventory, type StoreInventory } from '../store/store-inventory.js';
import { AT_FDCWD, O_DIRECTORY, O_RDONLY } from '../sys/constants.js';
import { closeFd, openAt } from '../sys/open-at.js';
import { formatErrno } from '../report/strerror.js';
import { concatBytes } from '../store/byte-text.js';
import type { AdminStore } from './admin-scope.js';
import { openStore, type OpenedStore } from './open-store.js';
import type { RunEnvironment } from './traverse-guest.js';

/** An open storage root and what it holds. */
export interface AdminRoot {
  dev: bigint;
  fd: number;
  /** The root as upstream prints it, ending in `/`. */
  path: string;
  pathBytes: Buffer;
  inventory: StoreInventory;
}

/** The store, its roots open; close() when done. */
export interface OpenedAdminStore {
  opened: OpenedStore;
  roots: AdminRoot[];
  close(): void;
}

/**
 * Reads the store's configuration (creating nothing: these modes never add `method` or `blocks`) and
 * lists every root; undefined after upstream's message when the store cannot be used (exit 1).
 * A root that cannot be opened or listed is reported and left out.
 */
export function openAdminStore(store: AdminStore, env: RunEnvironment): OpenedAdminStore | undefined {
  const opened = openStore(store.hashDir, true, env.out, env.hints, store.printed);
  if (opened === undefined) return undefined;
  const roots: AdminRoot[] = [];
  const close = (): void => {
    for (const r of roots.splice(0)) closeFd(r.fd);
  };
  for (const r of opened.roots) {
    let fd: number;
    try {
      fd = openAt(AT_FDCWD, r.pathBytes, O_RDONLY | O_DIRECTORY);
    } catch (error) {
      env.out.err(concatBytes("vhashify: storage root '", r.pathBytes, `' cannot be opened (${formatErrno(error)}); it is left out\n`));
      continue;
    }
    try {
      roots.push({ dev: r.dev, fd, path: r.path, pathBytes: r.pathBytes, inventory: readStoreInventory({ fd }) });
    } catch (error) {
      closeFd(fd);
      env.out.err(concatBytes("vhashify: storage root '", r.pathBytes, `' cannot be listed (${formatErrno(error)}); it is left out\n`));
    }
  }
  return { opened, roots, close };
}
