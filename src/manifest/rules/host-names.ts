import type { CtnetError } from '../../model/errors.js';
import { bridgeName, hostVethName } from '../../desired/names.js';
import { errorAt, type Rule } from './helpers.js';

/**
 * Names ctnet derives on the host must not collide: `ve-a-b-c` is both container "a-b" with
 * interface "c" and container "a" with interface "b-c"; a bridge may be named like a veth.
 */
export const hostNames: Rule = (set) => {
  const errors: CtnetError[] = [];
  const taken = new Map<string, string>();
  const claim = (name: string, who: string, report: () => CtnetError): void => {
    const other = taken.get(name);
    if (other) errors.push({ ...report(), message: `host interface name "${name}" is also derived for ${other}; rename one of them` });
    else taken.set(name, who);
  };
  for (const n of set.networks) {
    if (n.spec.type !== 'bridge') continue;
    claim(n.spec.bridge ?? bridgeName(n.metadata.name), `network "${n.metadata.name}"`, () => errorAt(n, n.spec.bridge ? ['spec', 'bridge'] : ['metadata', 'name'], ''));
  }
  for (const ct of set.containers) {
    (ct.spec.interfaces ?? []).forEach((i, idx) => {
      if (!i.network) return;
      const ifname = i.name ?? `eth${idx}`;
      claim(hostVethName(ct.metadata.name, ifname), `container "${ct.metadata.name}" interface "${ifname}"`, () => errorAt(ct, ['spec', 'interfaces', idx], ''));
    });
  }
  return errors;
};
