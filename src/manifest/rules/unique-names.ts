import type { CtnetError } from '../../model/errors.js';
import { errorAt, type Rule } from './helpers.js';

/**
 * Names are unique per kind: they key ownership markers and state. Host documents are the
 * exception, they are merged, so settings may be split across files.
 */
export const uniqueNames: Rule = (set) => {
  const errors: CtnetError[] = [];
  for (const list of [set.networks, set.containers, set.vms, set.nodes]) {
    const seen = new Map<string, string>();
    for (const m of list) {
      const first = seen.get(m.metadata.name);
      if (first)
        errors.push(
          errorAt(m, ['metadata', 'name'], `duplicate ${m.kind} "${m.metadata.name}" (first defined in ${first})`),
        );
      else seen.set(m.metadata.name, m.source.file);
    }
  }
  return errors;
};
