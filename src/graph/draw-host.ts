import { natOfTable } from '../model/nat.js';
import type { NftTableObj } from '../model/nft.js';
import { line, type Drawing, type ItemIndex } from './drawing.js';
import { networkWords, type Hints } from './hints.js';
import type { Status } from './model.js';

/** `network/lan` → `['network', 'lan']`; an owner without a slash has no name. */
export const ownerParts = (owner: string): [string, string] => {
  const at = owner.indexOf('/');
  return at < 0 ? [owner, ''] : [owner.slice(0, at), owner.slice(at + 1)];
};

/**
 * Host links by name → their node: ctnet's links as they are drawn, any other host NIC (an uplink,
 * a custom network's interface) as a `nic` node, made when something names it.
 */
export class HostNodes {
  private readonly byName = new Map<string, string>();

  constructor(private readonly d: Drawing) {}

  set(name: string, id: string): void {
    this.byName.set(name, id);
  }

  of(name: string): string {
    const id = this.byName.get(name) ?? `nic-${name}`;
    if (!this.byName.has(name)) this.d.node(id, { kind: 'nic', title: name, inHost: true, status: 'same' });
    return id;
  }
}

const deletedLast = (a: { status: Status }, b: { status: Status }): number =>
  Number(a.status === 'deleted') - Number(b.status === 'deleted');

/** ctnet's host links: bridges and loopbacks (their networks), veth host ends, taps; with their addresses. */
export function drawHostLinks(d: Drawing, ix: ItemIndex, hints: Hints, nodes: HostNodes): void {
  const links = ix.of('link', null).filter((l) => l.obj.name !== 'lo');
  // a network whose bridge is renamed has two: the one that stays is the network's node
  for (const l of [...links].sort(deletedLast)) {
    const [role, whose] = ownerParts(l.owner);
    const netId = role === 'network' ? `network-${whose}` : undefined;
    const id = netId && !d.has(netId) ? netId : `link-${l.obj.name}`;
    nodes.set(l.obj.name, id);
    const spec = role === 'network' ? hints.networks.get(whose) : undefined;
    const loopback = l.obj.hostLocal || l.obj.kind === 'dummy' || spec?.type === 'loopback';
    const kind = netId ? (loopback ? 'loopback' : 'bridge') : l.obj.kind === 'tap' ? 'tap' : 'veth';
    const subtitle = netId ? `network ${whose}${loopback ? ' (loopback)' : ''}` : undefined;
    const n = d.node(id, { kind, title: l.obj.name, subtitle, inHost: true, status: l.status });
    d.drawn.add(l);
    for (const a of ix.addressesOn(null, l.obj.name).filter((x) => x.owner === l.owner)) {
      n.lines.push(line(a.obj.cidr, a.status));
      d.drawn.add(a);
    }
    if (l.change) n.lines.push(line(l.change, 'updated'));
  }
  for (const l of links)
    if (l.obj.master)
      d.edge({ from: nodes.of(l.obj.master), to: nodes.of(l.obj.name), kind: 'port', status: l.status });
}

/** Foreign NICs ctnet enslaves to its bridges (a bridge network's uplink). */
export function drawPorts(d: Drawing, ix: ItemIndex, nodes: HostNodes): void {
  for (const p of ix.of('port', null)) {
    const id = nodes.of(p.obj.name);
    d.drawn.add(p);
    d.get(id)!.subtitle ??= `uplink of ${ownerParts(p.owner)[1]}`;
    if (p.obj.master) d.edge({ from: id, to: nodes.of(p.obj.master), kind: 'port', status: p.status });
    if (p.change) d.get(id)!.lines.push(line(p.change, 'updated'));
  }
}

/**
 * Networks without an interface of their own, from the manifests: a routed network between its
 * uplink (where the host answers ARP/NDP for its guests) and its host ends and taps; a custom
 * network on the interface someone else made.
 */
export function drawNetworks(d: Drawing, ix: ItemIndex, hints: Hints, nodes: HostNodes): void {
  for (const [name, spec] of hints.networks) {
    if (spec.type === 'bridge' || spec.type === 'loopback') continue;
    const id = `network-${name}`;
    const n = d.node(id, {
      kind: 'network',
      title: `network ${name}`,
      subtitle: networkWords(spec),
      inHost: true,
      status: 'same',
    });
    for (const s of spec.subnets ?? []) n.lines.push(line(s, 'same'));
    const nic = spec.type === 'custom' ? spec.interface : spec.uplink;
    if (nic)
      d.edge({ from: nodes.of(nic), to: id, kind: spec.type === 'custom' ? 'interface' : 'proxy', status: 'same' });
  }
  for (const l of ix.of('link', null)) {
    const net = hints.networkOfLink.get(l.obj.name);
    if (net && hints.networks.get(net)?.type === 'routed')
      d.edge({ from: `network-${net}`, to: nodes.of(l.obj.name), kind: 'routed', status: l.status });
  }
}

/**
 * Routed guests the manifests do not place (a picture of the kernel, a guest a plan removes):
 * the host answers ARP/NDP on an uplink for an address it routes to a host end or tap.
 */
export function drawProxies(d: Drawing, ix: ItemIndex, hints: Hints, nodes: HostNodes): void {
  const routes = new Map(ix.of('route', null).map((r) => [r.obj.dst.split('/')[0], r.obj.dev]));
  for (const nb of ix.of('neighbor', null)) {
    const dev = routes.get(nb.obj.dst);
    const net = dev ? hints.networkOfLink.get(dev) : undefined;
    if (!dev || (net && hints.networks.get(net)?.type === 'routed')) continue;
    const label = 'proxy ARP/NDP';
    d.edge({ from: nodes.of(nb.obj.dev), to: nodes.of(dev), kind: 'proxy', label, status: nb.status });
  }
}

/** NAT of bridge networks, read back from ctnet's table: a line on each bridge it masquerades for. */
export function drawNat(d: Drawing, ix: ItemIndex, nodes: HostNodes): void {
  for (const t of ix.of('nftable', null)) {
    const now = natRules(t.obj);
    const before = t.status === 'updated' && t.was ? natRules(t.was as NftTableObj) : now;
    for (const rule of new Set([...now, ...before])) {
      const [bridge, subnet] = rule.split(' ');
      const status =
        t.status !== 'updated' ? t.status : !before.has(rule) ? 'created' : !now.has(rule) ? 'deleted' : 'same';
      d.get(nodes.of(bridge))?.lines.push(line(`NAT: masquerade ${subnet}`, status));
    }
  }
}

const natRules = (t: NftTableObj): Set<string> =>
  new Set(natOfTable(t).flatMap((n) => n.subnets.map((s) => `${n.bridge} ${s}`)));
