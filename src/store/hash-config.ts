// The hash dir's configuration files (`method`, `blocks`, `blocksize`): read them, create the
// missing ones (unless dry run), and produce upstream's messages in upstream's order (spec 5.2).
import { type AlgorithmName, defaultAlgorithm, defaultMethodFileText, findAlgorithm, maxDigestBits } from '../hash/algorithms.js';
import { concatBytes, normalizeConfigValue, readCString, toBytes } from './byte-text.js';
import { createConfigFile, readConfigFile } from './config-file.js';
import { type HashBlocks, parseBlocks } from './parse-blocks.js';
import { parseBlocksize } from './parse-blocksize.js';

/** The `blocks` setting, re-exported with the configuration that carries it. */
export type { HashBlocks } from './parse-blocks.js';

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

// Where the config files live, whether we may create them, and which ones we did create.
interface LoadContext {
  dir: Buffer;
  dryRun: boolean;
  created: ConfigFileName[];
}

function formatConfigPath(ctx: LoadContext, name: ConfigFileName): Buffer {
  // Upstream appends `/method` etc. to the string as given (`--destination ''` → `/method`).
  return concatBytes(ctx.dir, '/', name);
}

// A missing file means the default value; unless dry run the file is created with it.
function createDefault<T>(ctx: LoadContext, name: ConfigFileName, content: string, value: T): Step<T> {
  if (ctx.dryRun) return { kind: 'ok', value };
  // Upstream ignores write errors on `method` only.
  const outcome = createConfigFile(formatConfigPath(ctx, name), content, name === 'method');
  if (!outcome.ok) return { kind: 'fatal', message: outcome.message };
  ctx.created.push(name);
  return { kind: 'ok', value };
}

function loadMethod(ctx: LoadContext): Step<AlgorithmName> {
  const read = readConfigFile(formatConfigPath(ctx, 'method'));
  // The default is never above 256 bits, so it skips the size check.
  if (read.kind === 'absent') return createDefault(ctx, 'method', defaultMethodFileText, defaultAlgorithm);
  if (read.kind === 'unreadable') return failed(Buffer.from('Can not read configuration file for hash-method'));
  const name = readCString(normalizeConfigValue(read.data));
  const found = findAlgorithm(name);
  if (found === undefined) return failed(concatBytes("Can not find hash-function '", name, "'"));
  if (found.bits > maxDigestBits) {
    return failed(Buffer.from('Wow... what an huge hash-function. I can not handle so much bits; giving up...'));
  }
  return { kind: 'ok', value: found.name };
}

function loadBlocks(ctx: LoadContext): Step<HashBlocks> {
  const read = readConfigFile(formatConfigPath(ctx, 'blocks'));
  if (read.kind === 'absent') return createDefault<HashBlocks>(ctx, 'blocks', 'all\n', 'all');
  if (read.kind === 'unreadable') return failed(Buffer.from('Can not read configuration file for hash-blocks'));
  const parsed = parseBlocks(read.data);
  return parsed.ok ? { kind: 'ok', value: parsed.blocks } : failed(parsed.message);
}

function loadBlocksize(ctx: LoadContext): Step<bigint> {
  const read = readConfigFile(formatConfigPath(ctx, 'blocksize'));
  // Written without a trailing newline, as upstream does.
  if (read.kind === 'absent') return createDefault(ctx, 'blocksize', `0x${defaultBlocksize.toString(16)}`, defaultBlocksize);
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
  const ctx: LoadContext = { dir: toBytes(hashDir), dryRun: opts.dryRun, created: [] };
  const method = loadMethod(ctx);
  if (method.kind !== 'ok') return formatFailure(method);
  const blocks = loadBlocks(ctx);
  if (blocks.kind !== 'ok') return formatFailure(blocks);
  if (blocks.value === 'all') return { ok: true, algorithm: method.value, blocks: 'all', created: ctx.created };
  const blocksize = loadBlocksize(ctx);
  if (blocksize.kind !== 'ok') return formatFailure(blocksize);
  return { ok: true, algorithm: method.value, blocks: blocks.value, blocksize: blocksize.value, created: ctx.created };
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
