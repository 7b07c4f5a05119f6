import type { CtnetError } from '../../model/errors.js';
import { attachments, errorAt, networksByName, type Rule } from './helpers.js';

/** Every interface's `network` names a Network document (one with errors of its own counts). */
export const networkRefs: Rule = (set, ctx) => {
  const nets = networksByName(set);
  const errors: CtnetError[] = [];
  for (const a of attachments(set)) {
    if (a.network !== undefined && !nets.has(a.network) && !ctx.rejected.has(`Network/${a.network}`)) {
      const rejected = [...ctx.rejected]
        .filter((id) => id.startsWith('Network/'))
        .map((id) => id.slice('Network/'.length));
      const known = [...new Set([...nets.keys(), ...rejected])].sort();
      const hint = known.length ? ` (known: ${known.join(', ')})` : ' (no Network is defined)';
      errors.push(errorAt(a.m, [...a.path, 'network'], `unknown network "${a.network}"${hint}`));
    }
  }
  return errors;
};
