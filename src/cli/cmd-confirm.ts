import { confirm, type ConfirmOutcome } from '../engine/confirm.js';
import { lockError } from '../engine/reconcile.js';
import { revertAtDeadline } from '../engine/reverter.js';
import type { Report } from '../engine/types.js';
import { formatError, type CtnetError } from '../model/errors.js';
import { json, jsonError, printErrors, say, type GlobalOpts } from './output.js';
import { printRollback, rollbackJson } from './rollback-view.js';

/** What `confirm` found, as an error when it kept nothing the user may think it kept. */
function errorsOf(o: ConfirmOutcome, revert: boolean, stateDir: string): CtnetError[] {
  if (o.kind === 'locked') return [lockError(stateDir, o.holder)];
  if (o.kind === 'reverted' && o.late && !revert)
    return [{ code: 'apply', message: `too late: the deadline was ${o.pending.deadline}; the change was reverted` }];
  if (o.kind !== 'none') return [];
  const l = o.last;
  const how = l?.why === 'asked' ? 'asked' : `its deadline ${l?.deadline} passed`;
  const last = !l
    ? ''
    : l.why === 'confirmed'
      ? `; the last one was confirmed at ${l.at}`
      : `; the last one was reverted at ${l.at} (${how})`;
  return [{ code: 'apply', message: `no change waits for confirmation${last}` }];
}

/** `ctnet confirm [--revert]`: keep the change applied with --confirm, or put the host back now. */
export async function cmdConfirm(g: GlobalOpts, o: { revert?: boolean }): Promise<number> {
  const out = await confirm(g, !!o.revert);
  const errors = [...errorsOf(out, !!o.revert, g.stateDir), ...(out.kind === 'reverted' ? out.rollback.errors : [])];
  const asReport: Report | undefined =
    out.kind === 'reverted'
      ? { outcome: 'failed', errors: [], notices: [], commands: 0, hostNetns: g.hostNetns, rollback: out.rollback }
      : undefined;
  if (g.json) {
    json({
      formatVersion: 1,
      command: 'confirm',
      result: out.kind,
      ...(out.kind === 'confirmed' || out.kind === 'reverted' ? { appliedAt: out.pending.appliedAt } : {}),
      ...(asReport ? rollbackJson(asReport) : {}),
      errors: errors.map(jsonError),
    });
    return errors.length ? (out.kind === 'locked' ? 4 : 1) : 0;
  }
  if (out.kind === 'confirmed') say(g, `Confirmed: the change applied at ${out.pending.appliedAt} is kept.\n`);
  const code = printErrors(errorsOf(out, !!o.revert, g.stateDir));
  if (asReport) printRollback(g, asReport, 'Rolling back (unconfirmed change)');
  return code || (errors.length ? 1 : 0);
}

/**
 * The hidden `__reverter ID`: started by `apply --confirm`, it waits for the deadline and reverts.
 * Its output goes nowhere; what it did is in the state dir (`last-confirmation.json`, shown by `confirm` and `status`).
 */
export async function cmdReverter(g: GlobalOpts, id: string): Promise<number> {
  const rb = await revertAtDeadline(g, id);
  for (const e of rb?.errors ?? []) process.stderr.write(`error: ${formatError(e)}\n`);
  return rb?.errors.length ? 1 : 0;
}
