import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { DesiredState } from '../model/desired.js';
import type { Inventory } from '../model/inventory.js';
import { CtnetFailure, type CtnetError } from '../model/errors.js';
import { restoreTarget } from '../plan/checkpoint.js';
import { acquireLock } from '../state/lock.js';
import { writeFileAtomically } from '../state/atomic-write.js';
import { instanceOf, loadState } from '../state/store.js';
import {
  REVERTER_VERB,
  msLeft,
  readPending,
  readEnded,
  removePending,
  writePending,
  writeEnded,
} from '../state/pending.js';
import type { Pending } from '../state/pending.js';
import type { Ended } from '../state/pending.js';
import { rollBack, type Checkpoint, type Rollback } from './rollback.js';
import { driverOf } from './session.js';
import { openSharedHost, sharedView } from './shared-sysctls.js';
import type { EngineConfig } from './types.js';

/** Whether a process that reverts this confirmation at its deadline is alive on this machine. */
export function reverterAlive(id: string): boolean {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const at = argv.indexOf(REVERTER_VERB);
      if (at >= 0 && argv[at + 1] === id) return true;
    } catch {
      // gone while we looked
    }
  }
  return false;
}

/**
 * Puts the host back to a pending confirmation's checkpoint and ends it. The caller holds the
 * instance lock. The inventory to revert from is the state file's, or (lost) the one the change
 * left, kept with the checkpoint.
 */
export async function revertPending(c: EngineConfig, p: Pending, why: Ended['why']): Promise<Rollback> {
  const st = loadState(c.stateDir);
  const now = st.lost || st.corrupt ? p.after : st.inventory;
  const target = restoreTarget(p.checkpoint.observed, p.checkpoint.inventory, p.protectedInterfaces);
  const req = { ...c, mode: 'apply' as const, paths: [] };
  const host = await openSharedHost(req, instanceOf(c.stateDir), target.desired);
  if (host && 'code' in host) return { commands: 0, errors: [host] };
  try {
    const shared = sharedView(host, p.checkpoint.observed);
    const how = { protectedInterfaces: p.protectedInterfaces, shared, target };
    const rb = await rollBack(driverOf(c), c.stateDir, p.checkpoint, now, how, host);
    // the manifests say again what the host has
    for (const f of rb.errors.length ? [] : (p.files ?? [])) writeFileAtomically(f.path, f.text);
    removePending(c.stateDir);
    const left = rb.errors.map((e) => e.message);
    const changes = rb.plan?.actions.length ?? 0;
    writeEnded(c.stateDir, { id: p.id, at: new Date().toISOString(), deadline: p.deadline, why, changes, left });
    return rb;
  } finally {
    host?.release();
  }
}

/**
 * Before a command that may change the kernel, under the lock: a confirmation still waiting
 * refuses it (exit 4: the reverter would undo it, or it the checkpoint); one whose deadline passed
 * with nothing left to revert it (a crash, a reboot) is reverted now.
 */
export async function pendingGate(c: EngineConfig): Promise<{ errors: CtnetError[]; notices: string[] }> {
  const p = readPending(c.stateDir);
  if (!p) return { errors: [], notices: [] };
  if (msLeft(p) > 0) return { errors: [waitingError(p)], notices: [] };
  const rb = await revertPending(c, p, 'expired');
  if (rb.errors.length) return { errors: [...rb.errors], notices: [] };
  const n = rb.plan?.actions.length ?? 0;
  return { errors: [], notices: [`${unconfirmed(p)}: reverted now (${n} changes); the host is as it was before it`] };
}

const unconfirmed = (p: Pending): string =>
  `the change applied with --confirm at ${p.appliedAt} was not confirmed by ${p.deadline}`;

export const waitingError = (p: Pending): CtnetError => ({
  code: 'lock',
  message: `a change applied at ${p.appliedAt} waits for confirmation until ${p.deadline}: \`ctnet confirm\` keeps it, \`ctnet confirm --revert\` undoes it`,
});

/** For commands that change nothing (plan, status): a confirmation whose deadline passed unattended. */
export function pendingNotice(c: EngineConfig): string | undefined {
  const p = readPending(c.stateDir);
  if (!p || msLeft(p) > 0 || reverterAlive(p.id)) return undefined;
  return `${unconfirmed(p)} and nothing is reverting it: the next apply, destroy or \`ctnet confirm --revert\` puts the host back`;
}

export type ConfirmOutcome =
  | { readonly kind: 'confirmed'; readonly pending: Pending }
  | { readonly kind: 'reverted'; readonly pending: Pending; readonly rollback: Rollback; readonly late: boolean }
  | { readonly kind: 'none'; readonly last?: Ended }
  | { readonly kind: 'locked'; readonly holder?: number };

/**
 * `ctnet confirm [--revert]`, under the lock: keeps the waiting change, or puts the host back
 * now. A confirm that comes after the deadline keeps nothing: the change is reverted (if the
 * reverter has not yet) and said so.
 */
export async function confirm(c: EngineConfig, revert: boolean): Promise<ConfirmOutcome> {
  const lock = await acquireLock(c.stateDir, c.waitSeconds ?? 0);
  if (!lock.ok) return { kind: 'locked', holder: lock.holder };
  try {
    const p = readPending(c.stateDir);
    if (!p) return { kind: 'none', last: readEnded(c.stateDir) };
    const late = msLeft(p) <= 0;
    if (!revert && !late) {
      const at = new Date().toISOString();
      writeEnded(c.stateDir, { id: p.id, at, deadline: p.deadline, why: 'confirmed', changes: 0, left: [] });
      removePending(c.stateDir);
      return { kind: 'confirmed', pending: p };
    }
    return { kind: 'reverted', pending: p, late, rollback: await revertPending(c, p, late ? 'deadline' : 'asked') };
  } finally {
    lock.release();
  }
}

/**
 * `--confirm SECONDS`, after a verified apply: the checkpoint goes to the state dir with its
 * deadline, counted from now. Errors when it cannot be written: the caller rolls back, since
 * nothing would revert the change.
 */
export function awaitConfirmation(
  c: EngineConfig & { readonly revertFiles?: Pending['files'] },
  seconds: number,
  checkpoint: Checkpoint,
  after: Inventory,
  desired: DesiredState,
): { id: string; deadline: string } | CtnetError[] {
  const now = Date.now();
  const p: Pending = {
    version: 1,
    id: randomUUID(),
    appliedAt: new Date(now).toISOString(),
    deadline: new Date(now + seconds * 1000).toISOString(),
    hostNetns: c.hostNetns,
    checkpoint,
    after,
    protectedInterfaces: desired.protectedInterfaces,
    ...(c.revertFiles?.length ? { files: c.revertFiles } : {}),
  };
  try {
    writePending(c.stateDir, p);
    return { id: p.id, deadline: p.deadline };
  } catch (e) {
    if (e instanceof CtnetFailure) return [...e.errors];
    throw e;
  }
}
