// A guest that wins the race between the walk's lstat of a directory and its open, made deterministic.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

/**
 * Runs `fn` while every `lstatSync` import (the product's too: builtin ESM bindings are live) calls
 * `swap()` right after the first lstat of a path ending in `/<victim>`. Restored when `fn` (or the
 * promise it returns) settles.
 */
export function withSwapAfterLstat<T>(victim: string, swap: () => void, fn: () => T): T {
  const original = fs.lstatSync;
  const suffix = Buffer.from(`/${victim}`);
  let swapped = false;
  (fs as { lstatSync: unknown }).lstatSync = function hooked(this: unknown, ...args: Parameters<typeof fs.lstatSync>) {
    const result = original.apply(this, args);
    const path = Buffer.isBuffer(args[0]) ? args[0] : Buffer.from(String(args[0]));
    if (!swapped && path.subarray(path.length - suffix.length).equals(suffix)) {
      swapped = true;
      swap();
    }
    return result;
  };
  syncBuiltinESMExports();
  const restore = (): void => {
    (fs as { lstatSync: unknown }).lstatSync = original;
    syncBuiltinESMExports();
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
