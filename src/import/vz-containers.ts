import { basename } from 'node:path';
import { hostVethName } from '../model/names.js';
import type { FieldNote, ImportDoc } from './doc.js';
import { VENET_IF } from './vz-container.js';
import { VENET_NETWORK, type NamedContainer } from './vz-networks.js';

type Iface = Record<string, unknown>;

/** The venet interface: IP_ADDRESS as host addresses; a prefix written there went to the subnets. */
function venetIface(c: NamedContainer, notes: FieldNote[]): Iface[] {
  if (!c.venet.length) return [];
  const prefixed = c.venet.filter((a) => a.prefix !== undefined).map((a) => `${a.address}/${a.prefix}`);
  if (prefixed.length)
    notes.push({
      path: ['interfaces', 0],
      lines: [
        `IP_ADDRESS wrote ${prefixed.join(', ')}: a routed address is a host address (/32, /128);`,
        `the prefix went to network/${VENET_NETWORK}'s subnets.`,
      ],
    });
  return [{ name: VENET_IF, network: VENET_NETWORK, addresses: c.venet.map((a) => a.address) }];
}

/** What vzctl said of a veth's host end that ctnet does not keep: it names and addresses host ends itself. */
function hostEndWords(c: NamedContainer, v: NamedContainer['veths'][number]): string {
  const host = hostVethName(c.name, v.ifname);
  if (!v.hostIfname && !v.hostMac) return `host end ${host}`;
  const mac = v.hostMac ? ` (MAC ${v.hostMac}, not kept)` : '';
  return `host end ${host}, vzctl's ${v.hostIfname ?? 'veth'}${mac}`;
}

/**
 * A container's document: its venet interface, a veth per NETIF entry on the network of its
 * bridge, and a passed-through device per NETDEV name; its namespace is named after it.
 */
export function containerDoc(c: NamedContainer, networkOf: (ifname: string) => string): ImportDoc {
  const notes: FieldNote[] = [];
  const interfaces: Iface[] = venetIface(c, notes);
  for (const v of c.veths) {
    const bridge = v.bridgeFrom === 'VZHOSTBR' ? `; bridge ${v.bridge} from VZHOSTBR` : '';
    notes.push({
      path: ['interfaces', interfaces.length],
      lines: [
        `NETIF ${v.ifname}: ${hostEndWords(c, v)}${bridge}.`,
        "vzctl left its addresses to the container's own config; ctnet sets those listed here",
        'and removes others as drift: list them.',
      ],
    });
    interfaces.push({ name: v.ifname, network: networkOf(v.ifname), ...(v.mac ? { mac: v.mac } : {}), addresses: [] });
  }
  for (const dev of c.devices) {
    notes.push({
      path: ['interfaces', interfaces.length],
      lines: [`NETDEV: the host's ${dev}, moved in as it is named.`],
    });
    interfaces.push({ name: dev, device: dev });
  }
  const comment = [`From ${basename(c.file)} (CTID ${c.ctid}).`, ...(c.nameNote ? [c.nameNote + '.'] : [])];
  if (!interfaces.length) comment.push('No IP_ADDRESS, NETIF or NETDEV: a namespace with only lo.');
  return {
    kind: 'Container',
    name: c.name,
    labels: { 'openvz/ctid': c.ctid, ...(c.hostname ? { 'openvz/hostname': c.hostname } : {}) },
    spec: interfaces.length ? { interfaces } : {},
    comment,
    notes,
  };
}
