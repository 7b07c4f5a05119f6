import type { Driver, OpFailure } from '../driver/types.js';
import { commandLine } from '../driver/iproute2-render.js';
import type { Action } from '../plan/types.js';
import type { OnProgress } from '../model/progress.js';
import { schedule, steps, type Scheduled } from './schedule.js';

export interface ExecResult {
  /** Actions the kernel refused, with the refused command and the kernel's words. */
  readonly failed: readonly { readonly action: Action; readonly failure: OpFailure; readonly ran: number }[];
  /** Actions not run because something they depend on failed. */
  readonly skipped: readonly Action[];
  readonly commands: number;
}

/**
 * Runs a plan step by step, one batch per target per step. A refused operation fails its action;
 * only the actions that depend on it (directly or not) are skipped, everything else still runs,
 * and every failure is collected.
 */
export async function execute(
  driver: Driver,
  actions: readonly Action[],
  onProgress?: OnProgress,
): Promise<ExecResult> {
  // `ran`: how many of the action's own operations ran before the refused one
  const failed = new Map<string, { action: Action; failure: OpFailure; ran: number }>();
  const byId = new Map(actions.map((a) => [a.id, a]));
  const blockedMemo = new Map<string, boolean>();
  const blocked = (id: string): boolean => {
    if (failed.has(id)) return true;
    if (blockedMemo.has(id)) return blockedMemo.get(id)!;
    const b = (byId.get(id)?.deps ?? []).some(blocked);
    blockedMemo.set(id, b);
    return b;
  };
  let commands = 0;
  const all = steps(schedule(actions));
  // an action is done after the last step holding one of its operations
  const lastStep = new Map<string, number>();
  all.forEach((step, i) => step.forEach((b) => b.forEach((n) => lastStep.set(n.action.id, i))));
  const doneBy = all.map(() => 0);
  for (const i of lastStep.values()) doneBy[i]++;
  let done = actions.length - lastStep.size;
  const delay = stepDelay();
  for (const [i, step] of all.entries()) {
    onProgress?.({ phase: 'apply', done, total: actions.length });
    if (delay) await new Promise((r) => setTimeout(r, delay));
    blockedMemo.clear();
    let batches = step.map((b) => b.filter((n) => !blocked(n.action.id))).filter((b) => b.length);
    while (batches.length) {
      const retry: Scheduled[][] = [];
      const crash = crashPoint(batches, driver.hostNetns);
      if (crash) batches = [crash];
      const outcomes = await driver.run(batches.map((b) => ({ target: b[0].target, ops: b.map((n) => n.op) })));
      if (crash) process.kill(process.pid, 'SIGKILL');
      outcomes.forEach((o, i) => {
        const b = batches[i];
        commands += o.ran;
        for (const f of o.failures)
          failed.set(b[f.index].action.id, { action: b[f.index].action, failure: f, ran: b[f.index].index });
        blockedMemo.clear();
        const rest = b.slice(o.ran).filter((n) => !blocked(n.action.id));
        if (rest.length) retry.push(rest);
      });
      batches = retry;
    }
    done += doneBy[i];
  }
  onProgress?.({ phase: 'apply', done, total: actions.length });
  const skipped = actions.filter((a) => !failed.has(a.id) && blocked(a.id));
  return { failed: [...failed.values()], skipped, commands };
}

/**
 * Test hook: `CTNET_STEP_DELAY_MS=<ms>` waits that long before each step, so a test of what a
 * long run shows (progress on a terminal) gets a long run by construction, not by a slow machine.
 */
function stepDelay(): number {
  const ms = Number(process.env.CTNET_STEP_DELAY_MS ?? 0);
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

/**
 * Test hook: `CTNET_CRASH_AFTER=<regex>` kills ctnet right after the first command matching it,
 * so crash tests land exactly where they mean to, triggered by progress rather than a delay.
 */
function crashPoint(batches: readonly Scheduled[][], hostNetns: string | null): Scheduled[] | undefined {
  const pattern = process.env.CTNET_CRASH_AFTER;
  if (!pattern) return undefined;
  const re = new RegExp(pattern);
  for (const b of batches) {
    const i = b.findIndex((n) => re.test(commandLine(n.op, hostNetns)));
    if (i >= 0) return b.slice(0, i + 1);
  }
  return undefined;
}
