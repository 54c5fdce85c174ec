// The store steps of upstream's start-up (spec 5.2, 5.4): the hash dir's configuration files, then
// its storage roots, with upstream's messages and our hints.
import type { Output } from '../report/output.js';
import { loadHashConfig, type HashConfig } from '../store/hash-config.js';
import {
  findStorageRoots, formatDuplicateEntry, formatDuplicateHint, formatNoRootHint, type StorageRoot,
} from '../store/storage-roots.js';

/** A store a run can use: its configuration and its roots (first per device). */
export interface OpenedStore {
  hashDir: string;
  config: HashConfig;
  roots: StorageRoot[];
}

const NEWLINE = Buffer.from('\n');

function line(text: Buffer): Buffer {
  return Buffer.concat([text, NEWLINE]);
}

/**
 * `printed`: the hash dir as upstream prints it (see findStorageRoots). Reads (and unless `dryRun` creates) `method`/`blocks`/`blocksize`, then enumerates the storage
 * roots, printing `Duplicate hash-dir entry` lines; undefined after a fatal message (exit 1).
 */
export function openStore(hashDir: string, dryRun: boolean, out: Output, hints: boolean, printed: string | Buffer = hashDir): OpenedStore | undefined {
  const config = loadHashConfig(hashDir, { dryRun });
  if (!config.ok) {
    for (const message of config.messages) out.err(line(message));
    return undefined;
  }
  const found = findStorageRoots(hashDir, printed);
  if ('error' in found) {
    out.err(line(found.error));
    if (found.reason === 'no-storage-root' && hints) out.err(line(formatNoRootHint(printed)));
    return undefined;
  }
  for (const name of found.duplicates) out.err(line(formatDuplicateEntry(name)));
  if (found.duplicates.length > 0 && hints) out.err(line(formatDuplicateHint(printed, found.duplicates)));
  return { hashDir, config, roots: found.roots };
}
