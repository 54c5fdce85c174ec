// The assignments of a bash fragment such as util-vserver-vars (spec 2.6), evaluated the way bash
// would when sourcing it, for the subset such files use: `NAME='literal'`, `NAME="… $OTHER …"`,
// `NAME=word`, comments and blank lines. Values are bytes: paths may be in any encoding.

/** Something in the file this reader did not evaluate, or a name used before it was assigned. */
export interface ShellVarProblem {
  line: number;
  message: string;
}

/** The variables in assignment order (a later assignment replaces an earlier one) and the problems met. */
export interface ShellVars {
  vars: Map<string, Buffer>;
  problems: ShellVarProblem[];
}

const NEWLINE = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;
const SEMICOLON = 0x3b;
const HASH = 0x23;
const SQUOTE = 0x27;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;
const DOLLAR = 0x24;
const BACKTICK = 0x60;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const EQUALS = 0x3d;

// Characters that end an unquoted word (bash metacharacters this subset can meet).
const WORD_END = new Set([SPACE, TAB, NEWLINE, SEMICOLON, 0x26, 0x7c, 0x3c, 0x3e, 0x28, 0x29]);
// The characters a backslash quotes inside double quotes; before any other it stays.
const DQUOTE_ESCAPABLE = new Set([DOLLAR, BACKTICK, DQUOTE, BACKSLASH, NEWLINE]);

class Unsupported extends Error {}

const isNameStart = (b: number | undefined): boolean =>
  b !== undefined && (b === 0x5f || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a));
const isNameChar = (b: number | undefined): boolean => isNameStart(b) || (b !== undefined && b >= 0x30 && b <= 0x39);

/**
 * Evaluates the assignments of `data` in file order. A `$NAME`/`${NAME}` reference takes the
 * value assigned earlier in the file; a name never assigned expands to nothing (as in bash
 * without such an environment variable) and is reported. Lines that are not plain assignments
 * (commands, `export`, `$(…)`, `${NAME:-x}`, unterminated quotes) assign nothing and are reported.
 */
export function parseShellVars(data: Buffer): ShellVars {
  const vars = new Map<string, Buffer>();
  const problems: ShellVarProblem[] = [];
  let pos = 0;
  let line = 1;

  const skipToLineEnd = (): void => {
    while (pos < data.length && data[pos] !== NEWLINE) pos++;
  };

  const expand = (atLine: number): Buffer => {
    // `pos` is on the `$`.
    const next = data[pos + 1];
    if (isNameStart(next)) {
      let end = pos + 2;
      while (isNameChar(data[end])) end++;
      const name = data.toString('latin1', pos + 1, end);
      pos = end;
      return lookup(name, atLine);
    }
    if (next === LBRACE) {
      let end = pos + 2;
      if (!isNameStart(data[end])) throw new Unsupported('a ${…} form other than ${NAME}');
      while (isNameChar(data[end])) end++;
      if (data[end] !== RBRACE) throw new Unsupported('a ${…} form other than ${NAME}');
      const name = data.toString('latin1', pos + 2, end);
      pos = end + 1;
      return lookup(name, atLine);
    }
    if (next === 0x28 /* ( */) throw new Unsupported('command substitution');
    if (next !== undefined && (isNameChar(next) || '@*#?$!-'.includes(String.fromCharCode(next)))) {
      throw new Unsupported('a special parameter');
    }
    // A `$` before anything else stands for itself.
    pos++;
    return Buffer.from('$');
  };

  const lookup = (name: string, atLine: number): Buffer => {
    const value = vars.get(name);
    if (value !== undefined) return value;
    problems.push({ line: atLine, message: `$${name} is not assigned before this line; it expands to nothing` });
    return Buffer.alloc(0);
  };

  // Reads one word starting at `pos` (the value after `NAME=`), with quoting and expansion.
  const readWord = (atLine: number): Buffer => {
    const parts: Buffer[] = [];
    let literalFrom = pos;
    const flush = (): void => {
      if (pos > literalFrom) parts.push(data.subarray(literalFrom, pos));
    };
    while (pos < data.length && !WORD_END.has(data[pos]!)) {
      const b = data[pos]!;
      if (b === SQUOTE) {
        flush();
        const close = data.indexOf(SQUOTE, pos + 1);
        if (close < 0) throw new Unsupported('an unterminated single quote');
        parts.push(data.subarray(pos + 1, close));
        line += countNewlines(data, pos + 1, close);
        pos = close + 1;
        literalFrom = pos;
      } else if (b === DQUOTE) {
        flush();
        pos++;
        let from = pos;
        for (;;) {
          if (pos >= data.length) throw new Unsupported('an unterminated double quote');
          const c = data[pos]!;
          if (c === DQUOTE) break;
          if (c === BACKSLASH && DQUOTE_ESCAPABLE.has(data[pos + 1]!)) {
            parts.push(data.subarray(from, pos));
            // A backslash-newline is a line continuation: both disappear.
            if (data[pos + 1] === NEWLINE) line++;
            else parts.push(data.subarray(pos + 1, pos + 2));
            pos += 2;
            from = pos;
          } else if (c === DOLLAR) {
            parts.push(data.subarray(from, pos));
            parts.push(expand(atLine));
            from = pos;
          } else if (c === BACKTICK) {
            throw new Unsupported('command substitution');
          } else {
            if (c === NEWLINE) line++;
            pos++;
          }
        }
        parts.push(data.subarray(from, pos));
        pos++;
        literalFrom = pos;
      } else if (b === BACKSLASH) {
        flush();
        const next = data[pos + 1];
        if (next === NEWLINE) line++;
        else if (next !== undefined) parts.push(data.subarray(pos + 1, pos + 2));
        pos += 2;
        literalFrom = pos;
      } else if (b === DOLLAR) {
        flush();
        parts.push(expand(atLine));
        literalFrom = pos;
      } else if (b === BACKTICK) {
        throw new Unsupported('command substitution');
      } else {
        pos++;
      }
    }
    flush();
    return Buffer.concat(parts);
  };

  // Reads `NAME=` at `pos`; returns the name, or undefined (pos unchanged) when it is no assignment.
  const readAssignmentName = (): string | undefined => {
    if (!isNameStart(data[pos])) return undefined;
    let end = pos + 1;
    while (isNameChar(data[end])) end++;
    if (data[end] !== EQUALS) return undefined;
    const name = data.toString('latin1', pos, end);
    pos = end + 1;
    return name;
  };

  while (pos < data.length) {
    const b = data[pos]!;
    if (b === NEWLINE) {
      line++;
      pos++;
      continue;
    }
    if (b === SPACE || b === TAB || b === SEMICOLON) {
      pos++;
      continue;
    }
    if (b === HASH) {
      skipToLineEnd();
      continue;
    }
    // One simple command: assignments only, applied left to right. Anything else makes the
    // assignments temporary environment for a command, so none of them is kept.
    const statementLine = line;
    const previous: Array<[string, Buffer | undefined]> = [];
    let problem: string | undefined;
    try {
      for (;;) {
        const name = readAssignmentName();
        if (name === undefined) {
          problem = 'not a plain assignment; ignored';
          break;
        }
        // Later words of the same command see earlier ones: bash assigns left to right.
        const value = readWord(statementLine);
        previous.push([name, vars.get(name)]);
        vars.set(name, value);
        while (data[pos] === SPACE || data[pos] === TAB) pos++;
        if (pos >= data.length || data[pos] === NEWLINE || data[pos] === SEMICOLON || data[pos] === HASH) break;
      }
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      problem = `${error.message} is not supported; line ignored`;
    }
    if (problem !== undefined) {
      for (const [name, value] of previous.reverse()) {
        if (value === undefined) vars.delete(name);
        else vars.set(name, value);
      }
      problems.push({ line: statementLine, message: problem });
      skipToLineEnd();
    }
  }
  return { vars, problems };
}

function countNewlines(data: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (data[i] === NEWLINE) n++;
  return n;
}
