// A guest that wins the race between the walk's lstat of a directory and its open, made deterministic.
import { walkCalls } from '../../src/walk/walk-tree.js';

/**
 * Runs `fn` while the walk calls `swap()` right after its first lstat of an entry named `victim`.
 * Restored when `fn` (or the promise it returns) settles.
 */
export function withSwapAfterLstat<T>(victim: string, swap: () => void, fn: () => T): T {
  const original = walkCalls.lstatAt;
  const name = Buffer.from(victim);
  let swapped = false;
  walkCalls.lstatAt = (dirFd, entry) => {
    const result = original(dirFd, entry);
    if (!swapped && entry.equals(name)) {
      swapped = true;
      swap();
    }
    return result;
  };
  const restore = (): void => {
    walkCalls.lstatAt = original;
  };
  let result: T;
  try {
    result = fn();
  } catch (error) {
    restore();
    throw error;
  }
  if (result instanceof Promise) return result.finally(restore) as T;
  restore();
  return result;
}
