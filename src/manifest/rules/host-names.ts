import type { CtnetError } from '../../model/errors.js';
import { bridgeName, hostVethName, loopbackName, vmTapName } from '../../model/names.js';
import { errorAt, type Rule } from './helpers.js';

/**
 * Names ctnet derives on the host must not collide: `ve-a-b-c` is both container "a-b" with
 * interface "c" and container "a" with interface "b-c"; a bridge, a loopback network's
 * interface or a VM's tap may be named like a veth, two VMs may name the same tap, and a tap or
 * a loopback interface may be named like an uplink or a custom network's interface.
 */
export const hostNames: Rule = (set) => {
  const errors: CtnetError[] = [];
  const taken = new Map<string, { who: string; owner: string }>();
  // `owner` keeps a container's own duplicate interface names out: interfaces.ts reports those
  const claim = (name: string, who: string, owner: string, report: () => CtnetError): void => {
    const other = taken.get(name);
    if (!other) taken.set(name, { who, owner });
    else if (other.owner !== owner)
      errors.push({
        ...report(),
        message: `host interface name "${name}" is also derived for ${other.who}; rename one of them`,
      });
  };
  // interfaces ctnet never creates: a tap named like one would have to replace it
  const foreign = {
    who: "an interface ctnet does not create (an uplink, a custom network's interface or a protected interface)",
    owner: 'foreign',
  };
  const customs = set.networks.map((n) => (n.spec.type === 'custom' ? n.spec.interface : undefined));
  for (const dev of [
    'lo',
    ...set.networks.map((n) => n.spec.uplink),
    ...customs,
    ...set.hosts.flatMap((h) => h.spec.protectedInterfaces ?? []),
  ]) {
    if (dev !== undefined) taken.set(dev, foreign);
  }
  for (const n of set.networks) {
    if (n.spec.type === 'bridge') {
      claim(
        n.spec.bridge ?? bridgeName(n.metadata.name),
        `network "${n.metadata.name}"`,
        `network/${n.metadata.name}`,
        () => errorAt(n, n.spec.bridge ? ['spec', 'bridge'] : ['metadata', 'name'], ''),
      );
    }
    if (n.spec.type === 'loopback') {
      claim(
        n.spec.interface ?? loopbackName(n.metadata.name),
        `network "${n.metadata.name}"`,
        `network/${n.metadata.name}`,
        () => errorAt(n, n.spec.interface ? ['spec', 'interface'] : ['metadata', 'name'], ''),
      );
    }
  }
  for (const ct of set.containers) {
    // only vnet containers get veths; ipnet and host share the host's stack
    if ((ct.spec.driver ?? 'vnet') !== 'vnet') continue;
    (ct.spec.interfaces ?? []).forEach((i, idx) => {
      if (!i.network) return;
      const ifname = i.name ?? `eth${idx}`;
      claim(
        hostVethName(ct.metadata.name, ifname),
        `container "${ct.metadata.name}" interface "${ifname}"`,
        `container/${ct.metadata.name}`,
        () => errorAt(ct, ['spec', 'interfaces', idx], ''),
      );
    });
  }
  for (const vm of set.vms) {
    (vm.spec.interfaces ?? []).forEach((i, idx) => {
      const path = ['spec', 'interfaces', idx, ...(i.tap ? ['tap'] : [])];
      // one VM naming one tap twice is a collision too: the owner is the NIC, not the VM
      claim(
        i.tap ?? vmTapName(vm.metadata.name, idx),
        `VM "${vm.metadata.name}" interface ${idx}`,
        `vm/${vm.metadata.name}#${idx}`,
        () => errorAt(vm, path, ''),
      );
    });
  }
  return errors;
};
