import type { CtnetError } from '../../model/errors.js';
import { contains, type Cidr } from '../../model/ip.js';
import { networkNodes } from '../fleet.js';
import type { NetworkManifest, NodeManifest } from '../types.js';
import { attachments, Claims, errorAt, gateways, label, networksByName, subnetsOf, type Rule } from './helpers.js';
import { parseIp } from './ip-text.js';

const overlap = (a: Cidr, b: Cidr): boolean => a.family === b.family && (contains(a, b) || contains(b, a));
const family = (n: NodeManifest): number | undefined => parseIp(n.spec.address)?.family;

/** One tunnel id per network; the gateway on one of the network's nodes; one underlay family. */
function tunnels(nets: readonly NetworkManifest[], nodes: readonly NodeManifest[], placement: Map<string, string[]>) {
  const errors: CtnetError[] = [];
  const vnis = new Claims();
  for (const n of nets) {
    const x = n.spec.vxlan;
    if (!x) continue;
    const other = vnis.claim(String(x.vni), `network "${n.metadata.name}"`);
    if (other) errors.push(errorAt(n, ['spec', 'vxlan', 'vni'], `VXLAN id ${x.vni} is already ${other}'s`));
    const on = placement.get(n.metadata.name) ?? [];
    if (gateways(n).length && x.gatewayNode === undefined)
      errors.push(
        errorAt(
          n,
          ['spec', 'vxlan'],
          `a spanning network's gateway is held by one node: name it in spec.vxlan.gatewayNode (one of ${on.join(', ')})`,
        ),
      );
    if (x.gatewayNode !== undefined && !on.includes(x.gatewayNode))
      errors.push(
        errorAt(
          n,
          ['spec', 'vxlan', 'gatewayNode'],
          `node "${x.gatewayNode}" is not one of the network's nodes (${on.join(', ') || 'none'})`,
        ),
      );
    const fams = new Set(nodes.filter((m) => on.includes(m.metadata.name)).map(family));
    if (fams.size > 1)
      errors.push(
        errorAt(
          n,
          ['spec', 'vxlan'],
          `the network's nodes (${on.join(', ')}) mix IPv4 and IPv6 addresses: a tunnel's ends share one family`,
        ),
      );
  }
  return errors;
}

/** Blocks name a network, lie inside its subnets, and never overlap another node's block of it. */
function blocks(nodes: readonly NodeManifest[], nets: ReadonlyMap<string, NetworkManifest>): CtnetError[] {
  const errors: CtnetError[] = [];
  const seen: { net: string; cidr: Cidr; who: string }[] = [];
  for (const node of nodes) {
    for (const [net, text] of Object.entries(node.spec.blocks ?? {})) {
      const path = ['spec', 'blocks', net];
      const n = nets.get(net);
      const c = parseIp(text);
      if (!n) errors.push(errorAt(node, path, `unknown network "${net}"`));
      if (!n || !c) continue;
      if (!subnetsOf(n).some((s) => s.prefix <= c.prefix && contains(s, c)))
        errors.push(errorAt(node, path, `block ${text} is not inside the subnets of network "${net}"`));
      const other = seen.find((s) => s.net === net && overlap(s.cidr, c));
      if (other) errors.push(errorAt(node, path, `block ${text} overlaps ${other.who}'s block of network "${net}"`));
      seen.push({ net, cidr: c, who: label(node) });
    }
  }
  return errors;
}

/**
 * Networks across nodes: VXLAN ids, gateways, underlay families and address blocks. A network
 * on several nodes shares one address space there, so an automatic address comes from the
 * member's node's block: two nodes allocating alone would otherwise hand out the same one.
 */
export const spanning: Rule = (set) => {
  if (set.nodes.length === 0) return [];
  const placement = networkNodes(set);
  const nets = networksByName(set);
  const errors = [...tunnels(set.networks, set.nodes, placement), ...blocks(set.nodes, nets)];
  const byName = new Map(set.nodes.map((n) => [n.metadata.name, n]));
  for (const a of attachments(set)) {
    const n = a.network === undefined ? undefined : nets.get(a.network);
    const node = byName.get((a.m.spec as { node?: string }).node ?? '');
    const automatic = a.addresses.length === 0;
    if (!n || !node || !automatic || !n.spec.subnets?.length || a.device !== undefined) continue;
    const shared = (placement.get(n.metadata.name)?.length ?? 0) > 1 && (n.spec.type === 'routed' || !!n.spec.vxlan);
    if (shared && node.spec.blocks?.[n.metadata.name] === undefined)
      errors.push(
        errorAt(
          a.m,
          a.path,
          `network "${n.metadata.name}" spans several nodes: an automatic address needs a block for it on node "${node.metadata.name}" (spec.blocks), or give the address here`,
        ),
      );
  }
  return errors;
};
