import type { CtnetError } from '../../model/errors.js';
import { attachments, errorAt, networksByName, type Rule } from './helpers.js';

/** Every interface's `network` names a Network document. */
export const networkRefs: Rule = (set) => {
  const nets = networksByName(set);
  const errors: CtnetError[] = [];
  for (const a of attachments(set)) {
    if (a.network !== undefined && !nets.has(a.network)) {
      const known = [...nets.keys()];
      const hint = known.length ? ` (known: ${known.join(', ')})` : ' (no Network is defined)';
      errors.push(errorAt(a.m, [...a.path, 'network'], `unknown network "${a.network}"${hint}`));
    }
  }
  return errors;
};
