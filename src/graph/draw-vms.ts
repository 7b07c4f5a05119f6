import { line, type Drawing, type ItemIndex, type ItemOf, type NodeDraft } from './drawing.js';
import { ownerParts, type HostNodes } from './draw-host.js';
import type { Hints } from './hints.js';
import type { Status } from './model.js';

/** VMs: a node per VM, reached from each of its taps, with the addresses the host routes to it. */
export function drawVms(d: Drawing, ix: ItemIndex, hints: Hints, nodes: HostNodes): void {
  const taps = ix.of('link', null).filter((l) => l.obj.kind === 'tap' && ownerParts(l.owner)[0] === 'vm');
  const names = new Set([...hints.vms, ...taps.map((t) => ownerParts(t.owner)[1])]);
  for (const vm of [...names].sort()) {
    const own = taps.filter((t) => ownerParts(t.owner)[1] === vm);
    const all = (s: Status): boolean => own.length > 0 && own.every((t) => t.status === s);
    const status = all('created') ? 'created' : all('deleted') ? 'deleted' : 'same';
    const node = d.node(`vm-${vm}`, { kind: 'vm', title: `vm ${vm}`, inHost: false, status });
    for (const t of own) drawTap(d, ix, hints, nodes, node, t, vm);
  }
}

function drawTap(
  d: Drawing,
  ix: ItemIndex,
  hints: Hints,
  nodes: HostNodes,
  node: NodeDraft,
  t: ItemOf<'link'>,
  vm: string,
): void {
  d.edge({ from: nodes.of(t.obj.name), to: node.id, kind: 'tap', status: t.status });
  const routed = ix.of('route', null).filter((r) => r.obj.dev === t.obj.name);
  for (const r of routed) {
    node.lines.push(line(r.obj.dst, r.status));
    d.drawn.add(r);
  }
  for (const a of hints.guestAddresses.get(t.obj.name) ?? []) node.lines.push(line(`${a} (set in the guest)`, 'same'));
  if (!routed.length && hints.automatic.has(`vm/${vm} ${t.obj.name}`))
    node.lines.push(line('automatic address', 'same'));
}
