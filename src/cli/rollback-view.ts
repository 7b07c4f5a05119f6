import type { Report } from '../engine/types.js';
import { formatError } from '../model/errors.js';
import { planToJson } from '../plan/view-json.js';
import { planToText } from '../plan/view-text.js';
import { jsonError, say, type GlobalOpts } from './output.js';

/** `--atomic` after a failure, as one JSON member: the revert plan, its result and what is left. */
export function rollbackJson(r: Report): object {
  const rb = r.rollback;
  if (!rb) return {};
  return {
    rollback: {
      result: rb.errors.length ? 'failed' : 'rolled-back',
      plan: rb.plan ? planToJson(rb.plan.actions, r.hostNetns) : null,
      commands: rb.commands,
      errors: rb.errors.map(jsonError),
    },
  };
}

/**
 * The rollback as text, after the run's errors: its plan on stdout, and on stderr the one line a
 * person must see even with -q: back as it was, or exactly what is not.
 */
export function printRollback(g: GlobalOpts, r: Report, title = 'Rolling back (--atomic)'): void {
  const rb = r.rollback;
  if (!rb) return;
  const n = rb.plan?.actions.length ?? 0;
  if (rb.plan) say(g, `\n${title}:\n${n ? planToText(rb.plan.actions, g.color) : '  nothing to undo\n'}`);
  if (!rb.errors.length) {
    process.stderr.write(`rolled back: ${n} changes, ${rb.commands} commands; the host is as it was before\n`);
    return;
  }
  process.stderr.write(`rollback incomplete: the host is NOT as it was before; left:\n`);
  for (const e of rb.errors) process.stderr.write(`  ${formatError(e)}\n`);
}
