// The figures of a whole run, per guest and for all of them, gathered from its events: what
// `--totals`, `--json` and `--all`'s lines print. A consumer of events, not a part of the walk.
import type { RunEvent } from './events.js';
import { PlannedOutcomes, type PlannedMode } from './planned-outcomes.js';
import { FiguresCollector, type RunFigures } from './run-figures.js';

/** One guest's turn: who it was and how it ended. `figures` only when its tree was traversed. */
export interface GuestResult {
  /** vserver mode: the name as given. */
  name?: Buffer;
  /** The tree: the physical vdir, or manual mode's path. */
  root?: Buffer;
  exitCode: number;
  figures?: RunFigures;
  elapsedNs: bigint;
}

/** How the run was asked to work. */
export interface ReportSettings {
  dryRun: boolean;
  mode: PlannedMode;
}

interface OpenGuest {
  name?: Buffer;
  root?: Buffer;
  startNs: bigint;
  figures: FiguresCollector;
  traversed: boolean;
}

/** Collects a run's figures; `observe` is its RunObserver. */
export class RunReport {
  /** The guests whose turn has ended, in order. */
  readonly guests: GuestResult[] = [];
  private readonly startNs = process.hrtime.bigint();
  private readonly all = new FiguresCollector();
  private readonly planned: PlannedOutcomes | undefined;
  private current: OpenGuest | undefined;

  constructor(readonly settings: ReportSettings) {
    this.planned = settings.dryRun ? new PlannedOutcomes(settings.mode) : undefined;
  }

  /** Takes one event of the run. */
  readonly observe = (event: RunEvent): void => {
    switch (event.kind) {
      case 'guest-begin':
        // A run of one guest: its figures are the run's (one collector, not two of the same size).
        this.current = { startNs: process.hrtime.bigint(), figures: event.count === 1 ? this.all : new FiguresCollector(), traversed: false };
        if (event.name !== undefined) this.current.name = event.name;
        if (event.root !== undefined) this.current.root = event.root;
        return;
      case 'traversal-begin':
        if (this.current === undefined) return;
        this.current.root = event.root;
        this.current.traversed = true;
        return;
      case 'traversal-end':
        this.count(event); // what making new entries durable cost
        return;
      case 'guest-end':
        this.endGuest(event.exitCode);
        return;
      default:
        this.count(event);
        if (event.kind === 'unifying' && this.planned !== undefined) this.count(this.planned.plan(event));
    }
  };

  /** The figures of every guest traversed so far, as one scope (sharing between guests counts). */
  readFigures(): RunFigures {
    return this.all.read();
  }

  /** Time since the report was made (the run's start). */
  readElapsedNs(): bigint {
    return process.hrtime.bigint() - this.startNs;
  }

  /** Whether any guest's tree was traversed (a summary has something to say). */
  hasFigures(): boolean {
    return this.guests.some((g) => g.figures !== undefined) || this.current?.traversed === true;
  }

  private count(event: RunEvent): void {
    this.all.observe(event);
    if (this.current !== undefined && this.current.figures !== this.all) this.current.figures.observe(event);
  }

  private endGuest(exitCode: number): void {
    const open = this.current;
    if (open === undefined) return;
    this.current = undefined;
    const result: GuestResult = { exitCode, elapsedNs: process.hrtime.bigint() - open.startNs };
    if (open.name !== undefined) result.name = open.name;
    if (open.root !== undefined) result.root = open.root;
    if (open.traversed) result.figures = open.figures.read();
    this.guests.push(result);
  }
}
