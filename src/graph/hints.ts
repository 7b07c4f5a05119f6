import type { ManifestSet, NetworkSpec } from '../manifest/types.js';
import { containerNetns } from '../manifest/container-netns.js';
import { hostVethName } from '../model/names.js';
import { tapOf } from '../desired/vm.js';

/**
 * What the manifests say that the kernel's objects do not: networks that have no interface of
 * their own (routed, custom), which network each host end and tap is on, containers that make
 * nothing (driver host), and interfaces whose addresses are handed out automatically. A picture
 * of the kernel alone has none of it, and draws what the objects show.
 */
export interface Hints {
  readonly networks: ReadonlyMap<string, NetworkSpec>;
  /** Host end or tap → its network. */
  readonly networkOfLink: ReadonlyMap<string, string>;
  /** Containers by name: their driver, and the namespace of those that have one. */
  readonly containers: ReadonlyMap<string, { readonly driver: string; readonly netns?: string }>;
  readonly vms: readonly string[];
  /** `container/ct1 eth0`, `vm/app1 tap-app1-0`: interfaces whose addresses IPAM hands out. */
  readonly automatic: ReadonlySet<string>;
  /** Addresses a bridged VM's guest sets itself (ctnet only reserves them), by tap. */
  readonly guestAddresses: ReadonlyMap<string, readonly string[]>;
}

export const NO_HINTS: Hints = {
  networks: new Map(),
  networkOfLink: new Map(),
  containers: new Map(),
  vms: [],
  automatic: new Set(),
  guestAddresses: new Map(),
};

export function hintsOf(set: ManifestSet | undefined): Hints {
  if (!set) return NO_HINTS;
  const networks = new Map(set.networks.map((n) => [n.metadata.name, n.spec]));
  const networkOfLink = new Map<string, string>();
  const automatic = new Set<string>();
  const guestAddresses = new Map<string, readonly string[]>();
  const containers = new Map<string, { driver: string; netns?: string }>();
  for (const ct of set.containers) {
    const name = ct.metadata.name;
    containers.set(name, { driver: ct.spec.driver ?? 'vnet', netns: containerNetns(ct) });
    for (const [i, itf] of (ct.spec.interfaces ?? []).entries()) {
      const ifname = itf.name ?? `eth${i}`;
      if (itf.network) networkOfLink.set(hostVethName(name, ifname), itf.network);
      if (itf.network && !itf.device && !itf.addresses) automatic.add(`container/${name} ${ifname}`);
    }
  }
  for (const vm of set.vms) {
    for (const [i, itf] of (vm.spec.interfaces ?? []).entries()) {
      const tap = tapOf(vm, i);
      networkOfLink.set(tap, itf.network);
      const routed = networks.get(itf.network)?.type === 'routed';
      if (!itf.addresses && routed) automatic.add(`vm/${vm.metadata.name} ${tap}`);
      if (itf.addresses && !routed) guestAddresses.set(tap, itf.addresses);
    }
  }
  return { networks, networkOfLink, containers, vms: set.vms.map((v) => v.metadata.name), automatic, guestAddresses };
}

/** What a network is, in words: `routed via enp0s5`, `bridge, NAT`. */
export function networkWords(spec: NetworkSpec): string {
  const via = spec.uplink ? ` via ${spec.uplink}` : '';
  switch (spec.type) {
    case 'routed':
      return `routed${via}`;
    case 'bridge':
      return `bridge${spec.uplink ? `, uplink ${spec.uplink}` : ''}`;
    case 'loopback':
      return 'loopback';
    case 'custom':
      return `custom, on ${spec.interface ?? '?'}`;
  }
}
