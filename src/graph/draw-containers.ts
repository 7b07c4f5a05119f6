import { line, type Drawing, type ItemIndex, type NodeDraft } from './drawing.js';
import { ownerParts, type HostNodes } from './draw-host.js';
import type { Hints } from './hints.js';
import type { Line, Status } from './model.js';

const deletedLast = (a: { status: Status }, b: { status: Status }): number =>
  Number(a.status === 'deleted') - Number(b.status === 'deleted');

/**
 * Containers: one node per container, its interfaces as rows (veth ends, devices passed through)
 * with their addresses, reached by an edge from their host end. Containers in the host's stack
 * (drivers ipnet and host) are drawn in the host, an ipnet one reached from the interface that
 * carries its addresses.
 */
export function drawContainers(d: Drawing, ix: ItemIndex, hints: Hints, nodes: HostNodes): void {
  for (const n of [...ix.of('netns')].sort(deletedLast)) {
    const [role, ct] = ownerParts(n.owner);
    if (role !== 'container') continue;
    const path = n.obj.path ? ` → ${n.obj.path}` : '';
    const moved = d.get(`container-${ct}`);
    const node = d.node(`container-${ct}`, {
      kind: 'container',
      title: `container ${ct}`,
      subtitle: `netns ${n.obj.name}${path}`,
      inHost: false,
      status: n.status,
    });
    // a container a plan moves to another namespace: the new one, then the old one, which goes
    if (moved) {
      node.subtitle += ` (was ${n.obj.name})`;
      node.status = 'updated';
    }
    d.drawn.add(n);
    drawInside(d, ix, hints, nodes, node, n.obj.name, ct);
    // a namespace a plan deletes whole is not read: what is in it goes with it
    const empty = n.status === 'deleted' ? 'goes whole, with all in it' : 'lo only';
    if (!node.rows.length && !n.obj.path) node.lines.push(line(empty, n.status));
  }
  hostEndsAlone(d, ix, nodes);
  for (const [ct, h] of hints.containers)
    if (!h.netns) stackContainer(d, ct, h.driver === 'host' ? "host's network stack" : undefined);
  for (const a of ix.of('address', null)) {
    const [role, ct] = ownerParts(a.owner);
    if (role !== 'container' || d.drawn.has(a)) continue;
    stackContainer(d, ct);
    // on a custom network's interface: from the network, which the manifests name
    const custom = [...hints.networks].find(([, s]) => s.type === 'custom' && s.interface === a.obj.dev)?.[0];
    const from = custom ? `network-${custom}` : nodes.of(a.obj.dev);
    d.edge({ from, to: `container-${ct}`, kind: 'ipnet', label: a.obj.cidr, status: a.status });
    d.drawn.add(a);
  }
}

/** A host end whose container end was not read (its namespace goes whole) still leads to its container. */
function hostEndsAlone(d: Drawing, ix: ItemIndex, nodes: HostNodes): void {
  for (const l of ix.of('link', null)) {
    const [role, ct] = ownerParts(l.owner);
    const from = nodes.of(l.obj.name);
    if (l.obj.kind === 'veth' && role === 'container' && !d.hasEdgeFrom(from, 'veth'))
      d.edge({ from, to: `container-${ct}`, kind: 'veth', status: l.status });
  }
}

function stackContainer(d: Drawing, ct: string, subtitle = "ipnet: the host's stack"): void {
  d.node(`container-${ct}`, { kind: 'container', title: `container ${ct}`, subtitle, inHost: true, status: 'same' });
}

/** A container namespace's interfaces, its own routes, and the edges from their host ends. */
function drawInside(
  d: Drawing,
  ix: ItemIndex,
  hints: Hints,
  nodes: HostNodes,
  node: NodeDraft,
  ns: string,
  ct: string,
): void {
  const devices = ix.of('device', ns);
  const moved = new Set(devices.map((x) => x.obj.name));
  const hostEnds = new Map(ix.of('link', null).map((l) => [l.obj.ifindex, l.obj.name]));
  const links = ix.of('link', ns).filter((l) => l.obj.name !== 'lo' && !moved.has(l.obj.name));
  for (const l of links) {
    const row = rowFor(d, ix, node, ns, l.obj.name, l.status, l.change);
    if (!row.lines.length && hints.automatic.has(`container/${ct} ${l.obj.name}`))
      row.lines.push(line('automatic address', 'same'));
    d.drawn.add(l);
    const peer = l.obj.peer?.netns === null ? l.obj.peer.name : hostEnds.get(l.obj.peerIfindex);
    const status = ix.of('link', null).find((h) => h.obj.name === peer)?.status ?? l.status;
    if (peer) d.edge({ from: nodes.of(peer), to: node.id, toPort: row.port, kind: 'veth', status });
  }
  for (const dev of devices) {
    const moves = line(`passed through: ${dev.obj.host}`, dev.status);
    const { port } = rowFor(d, ix, node, ns, dev.obj.name, dev.status, dev.change, [moves]);
    d.drawn.add(dev);
    const nic = d.node(`device-${dev.obj.host}`, {
      kind: 'device',
      title: dev.obj.host,
      subtitle: 'host NIC, passed through',
      inHost: false,
      status: dev.status,
    });
    d.edge({ from: nic.id, to: node.id, toPort: port, kind: 'passthrough', status: dev.status });
  }
  for (const r of ix.of('route', ns).filter((x) => x.obj.dst !== 'default')) {
    node.lines.push(line(`route ${r.obj.dst}${r.obj.via ? ` via ${r.obj.via}` : ''}`, r.status));
    d.drawn.add(r);
  }
}

/** A row for an interface with its addresses; a second namespace's row of one name gets a port of its own. */
function rowFor(
  d: Drawing,
  ix: ItemIndex,
  node: NodeDraft,
  ns: string,
  name: string,
  status: Status,
  change: string | undefined,
  first: Line[] = [],
): { port: string; lines: Line[] } {
  const port = node.rows.some((r) => r.port === name) ? `${name}@${ns}` : name;
  const lines = [...first];
  for (const a of ix.addressesOn(ns, name)) {
    lines.push(line(a.obj.cidr, a.status));
    d.drawn.add(a);
  }
  if (change) lines.push(line(change, 'updated'));
  const row = { port, title: name, lines, status };
  node.rows.push(row);
  return row;
}
