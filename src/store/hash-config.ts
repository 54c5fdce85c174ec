// The hash dir's configuration files (`method`, `blocks`, `blocksize`): read them, create the
// missing ones (unless dry run), and produce upstream's messages in upstream's order (spec 5.2).
import { type AlgorithmName, defaultAlgorithm, defaultMethodFileText, findAlgorithm, maxDigestBits } from '../hash/algorithms.js';
import { concatBytes, normalizeConfigValue, readCString, toBytes } from './byte-text.js';
import { createConfigFile, readConfigFile } from './config-file.js';
import { type HashBlocks, parseBlocks } from './parse-blocks.js';
import { parseBlocksize } from './parse-blocksize.js';

/** Names of the configuration files a run may create in the hash dir. */
export type ConfigFileName = 'method' | 'blocks' | 'blocksize';

/** A usable store configuration; `blocksize` is set only when `blocks` is not `all`. */
export interface HashConfig {
  ok: true;
  algorithm: AlgorithmName;
  blocks: HashBlocks;
  blocksize?: bigint;
  created: ConfigFileName[];
}

/**
 * A configuration failure: the exact stderr lines, in order, without their trailing newline.
 * Buffers, because they may quote file content byte for byte (a `\r`, invalid UTF-8).
 */
export interface HashConfigFailure {
  ok: false;
  messages: Buffer[];
  exitCode: 1;
}

/** Result of {@link loadHashConfig}. */
export type HashConfigResult = HashConfig | HashConfigFailure;

// A step either yields a value, fails (upstream then adds its summary line), or hits a fatal
// system-call error (upstream exits right away with only that line).
type Step<T> = { kind: 'ok'; value: T } | { kind: 'failed'; messages: Buffer[] } | { kind: 'fatal'; message: Buffer };

const summaryLine = Buffer.from('failed to initialize hash-configuration');
const defaultBlocksize = 0x10000n;

function failed<T>(...messages: Buffer[]): Step<T> {
  return { kind: 'failed', messages };
}

function createUnlessDryRun<T>(path: Buffer, content: string, ignoreWriteErrors: boolean,
  dryRun: boolean, created: () => void, value: T): Step<T> {
  if (dryRun) return { kind: 'ok', value };
  const outcome = createConfigFile(path, content, ignoreWriteErrors);
  if (!outcome.ok) return { kind: 'fatal', message: outcome.message };
  created();
  return { kind: 'ok', value };
}

function loadMethod(path: Buffer, dryRun: boolean, onCreate: () => void): Step<AlgorithmName> {
  const read = readConfigFile(path);
  // Upstream ignores write errors on `method` only; the default is never above 256 bits.
  if (read.kind === 'absent') return createUnlessDryRun(path, defaultMethodFileText, true, dryRun, onCreate, defaultAlgorithm);
  if (read.kind === 'unreadable') return failed(Buffer.from('Can not read configuration file for hash-method'));
  const name = readCString(normalizeConfigValue(read.data));
  const found = findAlgorithm(name);
  if (found === undefined) return failed(concatBytes("Can not find hash-function '", name, "'"));
  if (found.bits > maxDigestBits) {
    return failed(Buffer.from('Wow... what an huge hash-function. I can not handle so much bits; giving up...'));
  }
  return { kind: 'ok', value: found.name };
}

function loadBlocks(path: Buffer, dryRun: boolean, onCreate: () => void): Step<HashBlocks> {
  const read = readConfigFile(path);
  if (read.kind === 'absent') return createUnlessDryRun<HashBlocks>(path, 'all\n', false, dryRun, onCreate, 'all');
  if (read.kind === 'unreadable') return failed(Buffer.from('Can not read configuration file for hash-blocks'));
  const parsed = parseBlocks(read.data);
  return parsed.ok ? { kind: 'ok', value: parsed.blocks } : failed(parsed.message);
}

function loadBlocksize(path: Buffer, dryRun: boolean, onCreate: () => void): Step<bigint> {
  const read = readConfigFile(path);
  if (read.kind === 'absent') {
    // Written without a trailing newline, as upstream does.
    const text = `0x${defaultBlocksize.toString(16)}`;
    return createUnlessDryRun(path, text, false, dryRun, onCreate, defaultBlocksize);
  }
  if (read.kind === 'unreadable') return failed(Buffer.from('Can not read configuration file for hash-blocksize'));
  const parsed = parseBlocksize(read.data);
  if (parsed.ok) return { kind: 'ok', value: parsed.blocksize };
  return parsed.message === undefined ? failed() : failed(parsed.message);
}

function formatFailure(step: { kind: 'failed'; messages: Buffer[] } | { kind: 'fatal'; message: Buffer }): HashConfigFailure {
  const messages = step.kind === 'fatal' ? [step.message] : [...step.messages, summaryLine];
  return { ok: false, messages, exitCode: 1 };
}

/**
 * Reads the hash dir's `method`, `blocks` and (when blocks is not `all`) `blocksize` in that
 * order, stopping at the first failure; missing files are created unless `dryRun`.
 */
export function loadHashConfig(hashDir: string | Buffer, opts: { dryRun: boolean }): HashConfigResult {
  const dir = toBytes(hashDir);
  // Upstream appends `/method` etc. to the string as given (`--destination ''` → `/method`).
  const pathOf = (name: ConfigFileName): Buffer => concatBytes(dir, '/', name);
  const created: ConfigFileName[] = [];
  const onCreate = (name: ConfigFileName) => () => void created.push(name);

  const method = loadMethod(pathOf('method'), opts.dryRun, onCreate('method'));
  if (method.kind !== 'ok') return formatFailure(method);
  const blocks = loadBlocks(pathOf('blocks'), opts.dryRun, onCreate('blocks'));
  if (blocks.kind !== 'ok') return formatFailure(blocks);
  if (blocks.value === 'all') return { ok: true, algorithm: method.value, blocks: blocks.value, created };
  const blocksize = loadBlocksize(pathOf('blocksize'), opts.dryRun, onCreate('blocksize'));
  if (blocksize.kind !== 'ok') return formatFailure(blocksize);
  return { ok: true, algorithm: method.value, blocks: blocks.value, blocksize: blocksize.value, created };
}

/** Resolves `--destination` once at start-up, so every later path is absolute. */
export function resolveHashDir(dest: string, cwd: string): string;
export function resolveHashDir(dest: Buffer, cwd: string | Buffer): Buffer;
export function resolveHashDir(dest: string | Buffer, cwd: string | Buffer): string | Buffer {
  // IMPROVEMENT over Q22: upstream keeps a relative hash dir relative and then uses it from
  // inside the guest, where it points elsewhere; we anchor it to the start-up directory. The
  // text is otherwise kept as given (no normalisation), because it appears in -vvvv output.
  const bytes = toBytes(dest);
  // QUIRK Q03: an empty destination stays empty, so the config files become `/method` etc.
  if (bytes.length === 0 || bytes[0] === 0x2f) return dest;
  const base = toBytes(cwd);
  const joined = base[base.length - 1] === 0x2f ? concatBytes(base, bytes) : concatBytes(base, '/', bytes);
  return typeof dest === 'string' ? joined.toString('utf8') : joined;
}
