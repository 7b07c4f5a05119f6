import { parseCidr } from '../model/ip.js';
import type { NetworkManifest, VirtualMachineManifest } from '../manifest/types.js';
import { stableMac, tapMac, vmTapName } from '../model/names.js';
import type { DesiredBuilder } from './builder.js';
import type { Allocation } from './allocated.js';
import { allocatedFor } from './allocated.js';
import type { RoutedPort } from '../model/anti-spoofing.js';
import { bridgeOf } from './bridge.js';
import { DEFAULT_MTU, routeToGuest } from './routed.js';

/** The tap of a VM's NIC `index`: as given, else derived (`tap-<vm>-<index>`). */
export const tapOf = (vm: VirtualMachineManifest, index: number): string =>
  vm.spec.interfaces?.[index]?.tap ?? vmTapName(vm.metadata.name, index);

/**
 * Virtuozzo's VM NICs: the host side is a persistent tap that a hypervisor opens by name. ctnet
 * creates it up, marked and with a stable MAC; the guest's addresses live in the guest.
 * - bridged: the tap is a port of the network's bridge; nothing else is needed on the host.
 * - host-routed: the tap is the guest's point-to-point link, set up on the host exactly as a
 *   routed container's host end (gateway addresses, /32 and /128 routes, proxy ARP/NDP).
 */
export function attachVm(
  vm: VirtualMachineManifest,
  owner: string,
  nets: ReadonlyMap<string, NetworkManifest>,
  b: DesiredBuilder,
  allocations: readonly Allocation[] = [],
): RoutedPort[] {
  const routed: RoutedPort[] = [];
  for (const [i, itf] of (vm.spec.interfaces ?? []).entries()) {
    const net = nets.get(itf.network);
    if (!net || (net.spec.type !== 'bridge' && net.spec.type !== 'routed')) continue; // validation rejects these
    const name = tapOf(vm, i);
    const mac = tapMac(itf.mac ?? stableMac(vm.metadata.name, String(i)));
    const mtu = net.spec.mtu ?? DEFAULT_MTU;
    const master = net.spec.type === 'bridge' ? bridgeOf(net) : null;
    b.add('link', null, owner, { name, kind: 'tap', up: true, mtu, mac, master });
    // a routed guest without addresses gets allocated ones (it must be told them; the host routes them)
    const addrs = itf.addresses ?? (net.spec.type === 'routed' ? allocatedFor(owner, name, allocations, b) : []);
    const cidrs = addrs.map((t) => parseCidr(t)!);
    if (net.spec.type === 'routed')
      routed.push(routeToGuest(net, owner, name, cidrs, new Set(cidrs.map((c) => c.family)), b));
  }
  return routed;
}
