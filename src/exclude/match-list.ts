// First-match-wins evaluation of a match list for every path of a walk (spec 3.4).

import type { ExcludeRule, RuleKind } from './exclude-rule.js';
import { createFnmatch } from './fnmatch.js';

/** The outcome for one path: the verdict and the entry that decided it (none: default include). */
export interface MatchDecision {
  verdict: RuleKind;
  rule?: ExcludeRule;
}

/** A compiled match list: `decide` takes a guest-relative path that starts with `/`. */
export interface MatchList {
  decide(path: Buffer): MatchDecision;
}

interface GlobEntry {
  index: number;
  test: (path: Buffer) => boolean;
}

const SPECIALS = [0x2a, 0x3f, 0x5b, 0x5c]; // * ? [ backslash
const DEFAULT_INCLUDE: MatchDecision = Object.freeze({ verdict: 'include' });

/** Compile rules once into a first-match-wins list (passing conffile entries first is the caller's job). */
export function createMatchList(rules: readonly ExcludeRule[]): MatchList {
  // Entries that can only equal one path (conffiles, patterns without wildcards) go into a hash
  // map, so a conffile list of thousands costs one lookup per path, not thousands of compares.
  const decisions = rules.map((rule): MatchDecision => Object.freeze({ verdict: rule.kind, rule }));
  const exact = new Map<string, number>();
  const globs: GlobEntry[] = [];
  rules.forEach((rule, index) => {
    const pattern = normalizeCString(rule.pattern);
    if (rule.literal === true || !SPECIALS.some((c) => pattern.includes(c))) {
      const key = pattern.toString('latin1');
      if (!exact.has(key)) exact.set(key, index);
    } else {
      globs.push({ index, test: createFnmatch(pattern) });
    }
  });

  return {
    decide(path: Buffer): MatchDecision {
      // Upstream compares C strings; a path never holds a NUL, but stay exact if one does.
      const subject = normalizeCString(path);
      const exactIndex = exact.size === 0 ? undefined : exact.get(subject.toString('latin1'));
      const limit = exactIndex ?? rules.length;
      for (const glob of globs) {
        if (glob.index > limit) break;
        if (glob.test(subject)) return decisions[glob.index]!;
      }
      return exactIndex === undefined ? DEFAULT_INCLUDE : decisions[exactIndex]!;
    },
  };
}

function normalizeCString(bytes: Buffer): Buffer {
  const nul = bytes.indexOf(0);
  return nul < 0 ? bytes : bytes.subarray(0, nul);
}
