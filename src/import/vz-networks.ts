import { basename } from 'node:path';
import { manifestName, uniqueName, type ImportDoc } from './doc.js';
import { deriveSubnets } from './vz-addresses.js';
import type { VzContainer } from './vz-container.js';

/** The routed network every container's IP_ADDRESS goes on. */
export const VENET_NETWORK = 'venet';

/** A container with the name it got once every file was read. */
export interface NamedContainer extends VzContainer {
  readonly name: string;
}

const files = (list: Iterable<string>): string => [...new Set(list)].map((f) => basename(f)).join(', ');

/** The venet network: a routed network whose subnets hold every container's venet addresses. */
export function venetNetwork(cts: readonly NamedContainer[]): ImportDoc | undefined {
  const addresses = cts.flatMap((c) => c.venet.map((a) => ({ ...a, file: c.file })));
  if (!addresses.length) return undefined;
  const d = deriveSubnets(addresses);
  const lines = ['Derived from IP_ADDRESS: vzctl records no subnet for venet addresses.'];
  if (d.given.length) lines.push(`From prefixes written in IP_ADDRESS: ${d.given.join(', ')}.`);
  for (const a of d.assumed)
    lines.push(
      `Assumed: ${a.subnet}, the /${a.subnet.includes(':') ? 64 : 24} around bare addresses (${files(a.files)}).`,
    );
  if (d.assumed.length) lines.push('Set them to what is routed to this host.');
  return {
    kind: 'Network',
    name: VENET_NETWORK,
    spec: { type: 'routed', subnets: d.subnets },
    comment: [
      'OpenVZ venet (IP_ADDRESS): each address routed to its container as /32 or /128.',
      "No uplink: vzctl published them on the interfaces vz.conf's NEIGHBOUR_DEVS names; set",
      "spec.uplink to the host's LAN interface for ctnet to publish them there (proxy ARP/NDP).",
    ],
    notes: [{ path: ['subnets'], lines }],
  };
}

/** The bridge a veth goes on: its own, or a host-only bridge of its own when NETIF names none. */
export interface BridgeUse {
  readonly bridge?: string;
  readonly container: NamedContainer;
  readonly ifname: string;
}

/** One bridge network per bridge named; the network a veth without one gets is made by `isolatedNetwork`. */
export function bridgeNetworks(uses: readonly BridgeUse[], taken: Set<string>): Map<string, ImportDoc> {
  const out = new Map<string, ImportDoc>();
  const bridges = [...new Set(uses.flatMap((u) => (u.bridge ? [u.bridge] : [])))].sort();
  for (const bridge of bridges) {
    const users = uses.filter((u) => u.bridge === bridge).map((u) => u.container);
    const name = uniqueName(manifestName(bridge) ?? 'bridge', taken);
    out.set(bridge, {
      kind: 'Network',
      name,
      spec: { type: 'bridge', bridge },
      comment: [
        `Bridge ${bridge}, named by ${files(users.map((c) => c.file))}; vzctl's configs say no more of it.`,
        'If it exists (the host bridged its NIC there), --adopt makes ctnet own it whole: first add the',
        "host's own address as gateway (its subnet in subnets) and the NIC as uplink, or they go as drift.",
      ],
    });
  }
  return out;
}

/**
 * A NETIF entry without a bridge (and no VZHOSTBR): vzctl leaves the host end on no bridge, where
 * only a script of the host's (a mount script, vznetaddbr) could attach it. ctnet needs a network:
 * a host-only bridge of the veth's own keeps it as isolated as that, reaching only the host.
 */
export function isolatedNetwork(u: BridgeUse, taken: Set<string>): ImportDoc {
  const name = uniqueName(manifestName(`${u.container.name}-${u.ifname}`) ?? 'veth', taken);
  return {
    kind: 'Network',
    name,
    spec: { type: 'bridge' },
    comment: [
      `${basename(u.container.file)}: NETIF gives ${u.ifname} no bridge (nor VZHOSTBR): vzctl left its host`,
      'end on none, for a script of the host to attach. A host-only bridge of its own keeps it as',
      `isolated as that; put ${u.container.name}'s ${u.ifname} on the bridge that script used, if any.`,
    ],
  };
}
