import { confirm } from '../engine/confirm.js';
import type { Report } from '../engine/types.js';
import type { GlobalOpts } from './output.js';
import { reverterText, startReverter } from './reverter.js';

/**
 * After `apply --confirm`: the reverter is started before anything is printed, so that a caller
 * killed at any later point still has the host put back. A reverter that cannot start leaves
 * nothing to undo the change at its deadline: it is undone now.
 */
export async function armed(g: GlobalOpts, r: Report): Promise<Report> {
  if (!r.pending) return r;
  const started = startReverter(g, r.pending.id);
  if (started.how !== 'failed') return { ...r, pending: { ...r.pending, reverter: reverterText(started) } };
  const undone = await confirm({ ...g, waitSeconds: 60 }, true);
  const rollback = undone.kind === 'reverted' ? undone.rollback : undefined;
  const why = `the reverter of --confirm could not start (${started.why}): the change was undone at once`;
  return { ...r, outcome: 'failed', pending: undefined, rollback, errors: [{ code: 'apply', message: why }] };
}

/** What a person must know once a change waits: until when, and the two commands. */
export function waitingText(p: NonNullable<Report['pending']>): string {
  const seconds = Math.max(0, Math.round((Date.parse(p.deadline) - Date.now()) / 1000));
  return (
    `Waiting for confirmation until ${p.deadline} (${seconds} s): \`ctnet confirm\` keeps this change; ` +
    `without it the host goes back by itself (reverter: ${p.reverter ?? 'none'}). ` +
    '`ctnet confirm --revert` undoes it now.\n'
  );
}
