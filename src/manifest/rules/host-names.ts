import type { CtnetError } from '../../model/errors.js';
import { bridgeName, hostVethName } from '../../model/names.js';
import { errorAt, type Rule } from './helpers.js';

/**
 * Names ctnet derives on the host must not collide: `ve-a-b-c` is both container "a-b" with
 * interface "c" and container "a" with interface "b-c"; a bridge may be named like a veth.
 */
export const hostNames: Rule = (set) => {
  const errors: CtnetError[] = [];
  const taken = new Map<string, { who: string; owner: string }>();
  // `owner` keeps a container's own duplicate interface names out: interfaces.ts reports those
  const claim = (name: string, who: string, owner: string, report: () => CtnetError): void => {
    const other = taken.get(name);
    if (!other) taken.set(name, { who, owner });
    else if (other.owner !== owner) errors.push({ ...report(), message: `host interface name "${name}" is also derived for ${other.who}; rename one of them` });
  };
  for (const n of set.networks) {
    if (n.spec.type !== 'bridge') continue;
    claim(n.spec.bridge ?? bridgeName(n.metadata.name), `network "${n.metadata.name}"`, `network/${n.metadata.name}`, () => errorAt(n, n.spec.bridge ? ['spec', 'bridge'] : ['metadata', 'name'], ''));
  }
  for (const ct of set.containers) {
    // only vnet containers get veths; ipnet and host share the host's stack
    if ((ct.spec.driver ?? 'vnet') !== 'vnet') continue;
    (ct.spec.interfaces ?? []).forEach((i, idx) => {
      if (!i.network) return;
      const ifname = i.name ?? `eth${idx}`;
      claim(hostVethName(ct.metadata.name, ifname), `container "${ct.metadata.name}" interface "${ifname}"`, `container/${ct.metadata.name}`, () => errorAt(ct, ['spec', 'interfaces', idx], ''));
    });
  }
  return errors;
};
