import type { ContainerManifest, NetworkManifest } from '../manifest/types.js';
import type { KernelCapabilities } from '../model/kernel.js';
import { loopbackName } from '../model/names.js';
import type { DesiredBuilder } from './builder.js';
import { bridgeOf, withSubnetPrefix } from './bridge.js';
import { ownerOf } from './owner.js';

/**
 * Kleene's host-stack networking. A loopback network is a host interface that only carries
 * host-local addresses; a custom network is an interface someone else made; an ipnet container
 * shares the host's stack and owns addresses on a network's host interface.
 */

/** A loopback network's interface: `spec.interface`, or derived from the network's name. */
export const loopbackOf = (net: NetworkManifest): string => net.spec.interface ?? loopbackName(net.metadata.name);

/** The host interface that carries an ipnet container's addresses on `net`; none on a routed network. */
export function hostInterfaceOf(net: NetworkManifest): string | undefined {
  switch (net.spec.type) {
    case 'loopback':
      return loopbackOf(net);
    case 'bridge':
      return bridgeOf(net);
    case 'custom':
      return net.spec.interface;
    case 'routed':
      return undefined;
  }
}

/**
 * The loopback network's interface: owned, marked, up, deleted with the network. A dummy where
 * the kernel has it; otherwise a bridge, which never gets a port. Until the kernel was observed
 * (`caps` unknown) the bridge stands in: it only decides what to look at.
 */
export function buildLoopback(net: NetworkManifest, caps: KernelCapabilities | undefined, b: DesiredBuilder): void {
  const kind = caps?.dummy ? 'dummy' : 'bridge';
  b.add('link', null, ownerOf(net), { name: loopbackOf(net), kind, up: true, mtu: net.spec.mtu, hostLocal: true });
}

/**
 * An ipnet container's addresses, on each network's host interface, owned by the container (by
 * record only: addresses carry no marker). The prefix is the one written, else the prefix of the
 * network's subnet that holds the address, else a host address (/32, /128).
 */
export function attachIpnet(
  ct: ContainerManifest,
  nets: ReadonlyMap<string, NetworkManifest>,
  b: DesiredBuilder,
): void {
  const owner = ownerOf(ct);
  for (const itf of ct.spec.interfaces ?? []) {
    const net = itf.network ? nets.get(itf.network) : undefined;
    const dev = net && hostInterfaceOf(net);
    if (!net || !dev) continue; // validation rejects unknown networks and routed ones
    for (const text of itf.addresses ?? []) {
      const c = withSubnetPrefix(net, text);
      b.add('address', null, owner, { dev, family: c.family, cidr: `${c.address}/${c.prefix}` });
    }
  }
}
