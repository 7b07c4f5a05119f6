import type { CtnetError } from '../../model/errors.js';
import { containerNetns } from '../../desired/build.js';
import { errorAt, type Rule } from './helpers.js';

/** Names are unique per kind; two containers never share a namespace ctnet creates. */
export const uniqueNames: Rule = (set) => {
  const errors: CtnetError[] = [];
  for (const list of [set.networks, set.containers, set.vms]) {
    const seen = new Map<string, string>();
    for (const m of list) {
      const first = seen.get(m.metadata.name);
      if (first) errors.push(errorAt(m, ['metadata', 'name'], `duplicate ${m.kind} "${m.metadata.name}" (first defined in ${first})`));
      else seen.set(m.metadata.name, m.source.file);
    }
  }
  const netns = new Map<string, string>();
  for (const ct of set.containers) {
    const ns = containerNetns(ct);
    if (ns === undefined) continue;
    if (ns === '.' || ns === '..') errors.push(errorAt(ct, ['spec', 'netns'], `"${ns}" is not a valid namespace name`));
    const other = netns.get(ns);
    if (other) errors.push(errorAt(ct, ['spec', 'netns'], `network namespace "${ns}" is already used by container "${other}"`));
    else netns.set(ns, ct.metadata.name);
  }
  return errors;
};
