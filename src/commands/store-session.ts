// A store as the runs of one process use it: its policy decided and proved, its lock held and its
// configuration opened once, however many guests (`--all`) go into it.
import type { CommandLine } from '../cli/command-line.js';
import type { Output } from '../report/output.js';
import type { EffectivePolicy } from '../unify/protection.js';
import { decidePolicy, proveProtection } from './choose-protection.js';
import { openStore, type OpenedStore } from './open-store.js';
import { takeStoreLock, type LockOutcome } from './take-store-lock.js';
import type { RunEnvironment } from './traverse-guest.js';

/** A store ready for traversals. */
export interface StoreSession {
  store: OpenedStore;
  policy: EffectivePolicy;
  /** Set while the lock is held: when it was taken. */
  lockSinceNs?: bigint;
}

/** Ready, or the exit status of a run that cannot use the store (its messages are out). */
export type StoreSessionOutcome = { ok: true; session: StoreSession } | { ok: false; exitCode: number };

/** A store to use: the path to use, and the string upstream prints for it. */
export interface StoreRequest {
  hashDir: string;
  printed: string | Buffer;
  /**
   * A real run's last check before it may touch anything (the exclude list, the layout); undefined
   * to go on, or the refusal lines. Run once per store, after the policy is known.
   */
  refuse?: () => { message: Buffer; hint?: Buffer } | undefined;
}

/** Opens stores for one process: each store once (`--all` puts many guests into one). */
export class StoreSessions {
  private readonly open = new Map<string, StoreSession>();
  private readonly locks: Array<Extract<LockOutcome, { kind: 'held' }>> = [];

  constructor(private readonly cmd: CommandLine, private readonly env: RunEnvironment) {}

  /** The session for a hash dir; the first time: policy, refusals, proof, lock, configuration. */
  async acquire(req: StoreRequest): Promise<StoreSessionOutcome> {
    const known = this.open.get(req.hashDir);
    if (known !== undefined) return { ok: true, session: known };
    const { out } = this.env;
    const fail = (text: string | Buffer, hint?: Buffer): StoreSessionOutcome => {
      out.err(text);
      if (hint !== undefined && this.env.hints) out.err(hint);
      return { ok: false, exitCode: 1 };
    };
    const decided = decidePolicy(this.cmd.protect, req.hashDir, this.env.vserverKernel);
    if (!decided.ok) return fail(decided.message);
    const { policy } = decided;
    if (policy === 'none' && this.env.hints) warnNone(out);
    if (!this.cmd.dryRun) {
      // A real run refuses what upstream would obey to the user's harm, before it touches anything.
      const refused = req.refuse?.();
      if (refused !== undefined) return fail(refused.message, refused.hint);
      const unprovable = proveProtection(policy, req.hashDir, this.env.vserverKernel);
      if (unprovable !== undefined) return fail(unprovable);
    }
    const locked = await takeStoreLock(req.hashDir, this.cmd, out);
    if (locked.kind === 'busy') return { ok: false, exitCode: 75 };
    this.locks.push(locked);
    const store = openStore(req.hashDir, this.cmd.dryRun, out, this.env.hints, req.printed);
    if (store === undefined) return { ok: false, exitCode: 1 };
    const session: StoreSession = locked.sinceNs === undefined ? { store, policy } : { store, policy, lockSinceNs: locked.sinceNs };
    this.open.set(req.hashDir, session);
    return { ok: true, session };
  }

  /** Lets every store go (the locks end). */
  releaseAll(): void {
    for (const held of this.locks.splice(0)) held.lock?.release();
    this.open.clear();
  }
}

function warnNone(out: Output): void {
  out.err("vhashify: protection 'none': shared files are plain hard links; an in-place write in one guest shows in every guest sharing the file.\n");
}
