import { createHash } from 'node:crypto';

/**
 * Host-side names must be deterministic (a re-run finds what it made) and fit IFNAMSIZ (15).
 * Readable when they fit; otherwise a hash, which has no dash after the prefix and so never
 * collides with a readable name.
 */
const IFNAMSIZ = 15;

const hash = (text: string, len: number): string =>
  BigInt('0x' + createHash('sha256').update(text).digest('hex').slice(0, 16))
    .toString(36)
    .padStart(len, '0')
    .slice(0, len);

function derive(prefix: string, parts: readonly string[]): string {
  const readable = `${prefix}-${parts.join('-')}`;
  if (readable.length <= IFNAMSIZ) return readable;
  return `${prefix}${hash(parts.join('/'), IFNAMSIZ - prefix.length)}`;
}

/** Host end of a container's veth: `ve-ct101-eth0`. */
export const hostVethName = (container: string, ifname: string): string => derive('ve', [container, ifname]);

/** A bridge network's bridge when `spec.bridge` is not given: `br-lan`. */
export const bridgeName = (network: string): string => derive('br', [network]);

/** A spanning network's VXLAN port on its bridge: `vx-overlay`. */
export const vxlanName = (network: string): string => derive('vx', [network]);

/** A loopback network's interface when `spec.interface` is not given: `lo-local`. */
export const loopbackName = (network: string): string => derive('lo', [network]);

/** A VM's tap (the host side of its NIC number `index`): `tap-vm1-0`. */
export const vmTapName = (vm: string, index: number): string => derive('tap', [vm, String(index)]);

/** A stable, locally administered unicast MAC: the same names always give the same MAC. */
export function stableMac(...parts: readonly string[]): string {
  const h = createHash('sha256').update(parts.join('/')).digest();
  const bytes = [0x02, h[0], h[1], h[2], h[3], h[4]];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/**
 * The MAC of a VM's tap, from the guest NIC's: libvirt's convention, first byte 0xfe. Never the
 * guest's own MAC: a bridge delivers frames for a port's MAC to the host instead of forwarding
 * them to the guest. 0xfe is high: a bridge, which takes its lowest port's MAC, takes a tap's
 * only when it has no other port.
 */
export const tapMac = (guestMac: string): string => `fe${guestMac.toLowerCase().slice(2)}`;
