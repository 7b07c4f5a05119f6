import { acquireLock } from '../state/lock.js';
import { msLeft, readPending } from '../state/pending.js';
import { revertPending } from './confirm.js';
import type { Rollback } from './rollback.js';
import type { EngineConfig } from './types.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** How often the reverter looks whether its confirmation was confirmed: it ends soon after one is. */
const POLL_MS = 200;
/** A reverter waits this long for the lock: an apply that holds it is refused at once (exit 4), a status is brief. */
const LOCK_WAIT_S = 3600;

/**
 * The reverter of one confirmation (`ctnet __reverter ID`, detached from the caller's session, or
 * a transient systemd unit): it waits for the deadline, and puts the host back unless the
 * confirmation was confirmed or reverted meanwhile. Returns the rollback, or undefined when there
 * was nothing left to do.
 */
export async function revertAtDeadline(c: EngineConfig, id: string): Promise<Rollback | undefined> {
  for (;;) {
    const p = readPending(c.stateDir);
    if (p?.id !== id) return undefined;
    const left = msLeft(p);
    if (left <= 0) break;
    await sleep(Math.min(left, POLL_MS));
  }
  const lock = await acquireLock(c.stateDir, LOCK_WAIT_S);
  if (!lock.ok) return { commands: 0, errors: [{ code: 'lock', message: `the lock on ${c.stateDir} stayed held` }] };
  try {
    // confirmed, or reverted by another command, while this one waited for the lock
    const p = readPending(c.stateDir);
    return p?.id === id ? await revertPending(c, p, 'deadline') : undefined;
  } finally {
    lock.release();
  }
}
