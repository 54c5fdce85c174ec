// The live progress line on a terminal (files, bytes, rate, current guest, and an ETA where a total
// is known), drawn by cli-progress (README: why this library). Only ever on a terminal at -v 0:
// there nothing else is printed but errors, and the line is cleared before each of them.
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Options, Params, SingleBar } from 'cli-progress';
import type { FileStat } from '../sys/file-stat.js';
import type { RunEvent } from './events.js';
import { formatByteSize } from './byte-size.js';
import { isScannedEntry } from './run-figures.js';

/** What the line needs from outside: where to draw, how wide, and earlier runs' counts. */
export interface ProgressSettings {
  fd: number;
  /** The terminal's width now (it may be resized during the run). */
  readColumns(): number | undefined;
  /** How many entries the previous run scanned in this tree, if it was recorded. */
  readPreviousCount(rootStat: FileStat): number | undefined;
  /** Milliseconds between redraws at most (cli-progress' frame rate is derived from it). */
  intervalMs?: number;
}

/** The bar's payload: everything the line shows besides cli-progress' own figures. */
interface LinePayload {
  label: string;
  files: number;
  /** Bytes of the regular files among them (a number: exact to 8 PiB, and cheaper to add up than a bigint). */
  bytes: number;
  /** When the first traversal began (the rate is the average since). */
  startMs: number;
  /** The estimated number of entries the run scans, when there is an estimate. */
  total: number | undefined;
}

const DEFAULT_INTERVAL_MS = 100;
/** Files between two looks at the clock (a power of two). */
const CLOCK_EVERY = 16;

/**
 * Follows a run's events and keeps the line up to date, redrawing at most every `intervalMs`.
 * `suspend()` clears it before other output; the next update draws it again. `stop()` clears it for good.
 */
export class ProgressLine {
  private readonly bar: SingleBar;
  private readonly intervalMs: number;
  private readonly payload: LinePayload = { label: '', files: 0, bytes: 0, startMs: 0, total: undefined };
  private drawn = false;
  private stopped = false;
  private lastUpdateMs = 0;
  /** Entries scanned in the guests traversed before the current one, and how many of those there were. */
  private doneFiles = 0;
  private doneGuests = 0;
  private guestFiles = 0;
  private guestIndex = 0;
  private guestCount = 1;
  private traversing = false;
  private previousCount: number | undefined;

  constructor(private readonly settings: ProgressSettings) {
    this.intervalMs = settings.intervalMs ?? DEFAULT_INTERVAL_MS;
    const require = createRequire(import.meta.url);
    const { SingleBar: Bar } = require('cli-progress') as typeof import('cli-progress');
    const options: Options = {
      stream: createTerminalStream(settings) as unknown as NodeJS.WritableStream,
      fps: 1000 / this.intervalMs,
      format: (_options, params, payload) => formatProgressLine(params, payload as LinePayload, settings.readColumns() ?? 80),
      clearOnComplete: true,
      hideCursor: false,
      // true: the line is cut to the terminal's width; false would switch the terminal's wrapping off.
      linewrap: true,
      gracefulExit: false,
      etaBuffer: 50,
    };
    this.bar = new Bar(options);
  }

  /** Takes one event of the run. */
  readonly observe = (event: RunEvent): void => {
    if (this.stopped) return;
    switch (event.kind) {
      case 'guest-begin':
        this.guestIndex = event.index;
        this.guestCount = event.count;
        this.payload.label = formatLabel(event.name, event.root, event.index, event.count);
        return;
      case 'traversal-begin':
        this.traversing = true;
        this.previousCount = this.settings.readPreviousCount(event.rootStat);
        if (this.payload.startMs === 0) this.payload.startMs = Date.now();
        if (this.payload.label === '') this.payload.label = formatLabel(undefined, event.root, 0, 1);
        this.update(true);
        return;
      case 'guest-end':
        // A guest that failed before its traversal says nothing about how big guests are.
        if (this.traversing) {
          this.doneFiles += this.guestFiles;
          this.doneGuests += 1;
        }
        this.traversing = false;
        this.guestFiles = 0;
        this.previousCount = undefined;
        return;
      default:
        if (!isScannedEntry(event)) return;
        this.guestFiles += 1;
        this.payload.files += 1;
        if ((event.kind === 'skip' || event.kind === 'unifying') && event.stat?.isFile() === true) this.payload.bytes += Number(event.stat.size);
        // Reading the clock costs more than the rest of this (130 ns on this host's virtual clock):
        // look at it every few files. Between updates cli-progress' own frames show the payload as it is.
        if ((this.payload.files & (CLOCK_EVERY - 1)) === 0) this.update(false);
    }
  };

  /** Clears the line (other output follows); the next update draws it again. */
  suspend(): void {
    if (!this.drawn) return;
    this.bar.stop();
    this.drawn = false;
  }

  /** Clears the line for good. */
  stop(): void {
    this.suspend();
    this.stopped = true;
  }

  private update(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastUpdateMs < this.intervalMs) return;
    this.lastUpdateMs = now;
    const total = this.estimateTotal();
    this.payload.total = total;
    const value = this.payload.files;
    if (!this.drawn) {
      this.bar.start(total ?? 0, value, this.payload);
      this.drawn = true;
      return;
    }
    this.bar.setTotal(total ?? 0);
    this.bar.update(value, this.payload);
    // A new guest's line is drawn at once, not at cli-progress' next frame.
    if (force) this.bar.render();
  }

  /**
   * Entries the whole run will scan: the guests done, the current one as its previous run counted
   * (or as the average guest so far), the guests to come as the average guest so far.
   */
  private estimateTotal(): number | undefined {
    const average = this.doneGuests > 0 ? this.doneFiles / this.doneGuests : undefined;
    const current = this.previousCount ?? average;
    if (current === undefined) return undefined;
    const toCome = this.guestCount - this.guestIndex - 1;
    if (toCome > 0 && average === undefined) return undefined;
    return Math.round(this.doneFiles + Math.max(current, this.guestFiles) + toCome * (average ?? 0));
  }
}

/** `guest 'web1' (2/5)`, `guest 'web1'`, or the manual-mode path; control bytes shown as `?`. */
function formatLabel(name: Buffer | undefined, root: Buffer | undefined, index: number, count: number): string {
  const text = (name ?? root ?? Buffer.alloc(0)).toString('utf8').replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  const position = count > 1 ? ` (${index + 1}/${count})` : '';
  return name === undefined ? text : `guest '${text}'${position}`;
}

/** The line: `vhashify: LABEL: N files, BYTES, R files/s[, P% ETA M:SS]`, cut to the terminal's width. */
export function formatProgressLine(params: Params, payload: LinePayload, columns: number): string {
  const seconds = Math.max((Date.now() - payload.startMs) / 1000, 0.001);
  const rate = Math.round(payload.files / seconds);
  let line = `vhashify: ${payload.label}: ${payload.files} files, ${formatByteSize(BigInt(payload.bytes))}, ${rate} files/s`;
  if (payload.total !== undefined && payload.total > 0) {
    // The payload counts every file; cli-progress' own value is only as recent as its last update.
    line += `, ${Math.min(100, Math.floor((payload.files * 100) / payload.total))}%`;
    if (typeof params.eta === 'number' && Number.isFinite(params.eta)) line += ` ETA ${formatEta(params.eta)}`;
  }
  // One column short of the width: a character in the last column makes some terminals wrap.
  return line.length < columns ? line : line.slice(0, Math.max(columns - 1, 0));
}

function formatEta(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/**
 * What cli-progress writes to: the terminal's descriptor, written synchronously like every other
 * line of the run, never a Node stream (which would change how the descriptor blocks).
 */
function createTerminalStream(settings: ProgressSettings): { isTTY: true; readonly columns: number | undefined; write(text: string): boolean } {
  return {
    isTTY: true,
    get columns() {
      return settings.readColumns();
    },
    write(text: string): boolean {
      try {
        writeSync(settings.fd, text);
      } catch {
        // The progress line is decoration: a terminal that went away must not end the run.
      }
      return true;
    },
  };
}
