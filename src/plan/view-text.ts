import type { Action } from './types.js';
import { summarize } from './render.js';
import { append } from '../model/multimap.js';

const MARK: Readonly<Record<Action['action'], string>> = { create: '+', update: '~', replace: '-/+', delete: '-' };
const VERB: Readonly<Record<Action['action'], string>> = {
  create: 'created',
  update: 'updated in place',
  replace: 'replaced',
  delete: 'deleted',
};
const COLOR: Readonly<Record<Action['action'], string>> = { create: '32', update: '33', replace: '35', delete: '31' };

/** Terraform-like text: actions grouped by the manifest object that asked for them. */
export function planToText(actions: readonly Action[], color = false): string {
  if (actions.length === 0) return 'No changes. The kernel matches the manifests.\n';
  const paint = (a: Action, s: string): string => (color ? `\x1b[${COLOR[a.action]}m${s}\x1b[0m` : s);
  const groups = new Map<string, Action[]>();
  for (const a of actions) append(groups, a.owner ?? 'ctnet-owned, no longer in any manifest', a);
  const out = ['ctnet will perform the following actions:', ''];
  for (const [owner, list] of groups) {
    out.push(`  # ${owner}`);
    for (const a of list) {
      const where = a.type === 'netns' ? '' : a.netns === null ? ' (host)' : ` (netns ${a.netns})`;
      out.push(
        `  ${paint(a, MARK[a.action].padStart(3))} ${a.object}${where} will be ${VERB[a.action]}${a.disruptive ? ' [disruptive]' : ''}`,
      );
      out.push(`        reason: ${a.reason}`);
      // links say what changed in their reason; scalar values are shown as they are
      if (typeof a.before === 'string' && typeof a.after === 'string' && !a.reason.includes(a.before))
        out.push(`        ${a.before} → ${a.after}`);
    }
    out.push('');
  }
  const s = summarize(actions);
  out.push(`Plan: ${s.create + s.replace} to create, ${s.update} to update, ${s.delete + s.replace} to delete.`);
  return out.join('\n') + '\n';
}
