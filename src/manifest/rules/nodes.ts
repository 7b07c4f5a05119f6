import { basename } from 'node:path';
import type { CtnetError } from '../../model/errors.js';
import { memberNetworks, networkNodes, selects } from '../fleet.js';
import type { ManifestSet } from '../types.js';
import { Claims, errorAt, label, networksByName, type Rule } from './helpers.js';
import { parseIp } from './ip-text.js';

const where = (m: { source: { file: string; at: (p: (string | number)[]) => { line?: number } } }, p: string[]) =>
  `${basename(m.source.file)}:${m.source.at(p).line ?? 1}`;

/** Without Node manifests, a node name or a spanning network has nothing to refer to. */
function withoutNodes(set: ManifestSet): CtnetError[] {
  return [
    ...[...set.containers, ...set.vms].flatMap((m) =>
      m.spec.node === undefined
        ? []
        : [errorAt(m, ['spec', 'node'], `unknown node "${m.spec.node}": the manifests declare no Node`)],
    ),
    ...set.networks.flatMap((n) =>
      n.spec.vxlan === undefined
        ? []
        : [errorAt(n, ['spec', 'vxlan'], 'a spanning network needs Node manifests: each node is an end of its tunnel')],
    ),
  ];
}

/**
 * The fleet as a whole: every container and VM on a declared node, nodes at distinct addresses,
 * every network and Host document on some node, and members only where their networks are.
 */
export const nodes: Rule = (set) => {
  if (set.nodes.length === 0) return withoutNodes(set);
  const errors: CtnetError[] = [];
  const names = set.nodes.map((n) => n.metadata.name);
  const addresses = new Claims();
  for (const n of set.nodes) {
    const a = parseIp(n.spec.address)?.address;
    const other = a && addresses.claim(a, () => `${label(n)} (${where(n, ['spec', 'address'])})`);
    if (other) errors.push(errorAt(n, ['spec', 'address'], `duplicate node address ${a}: ${other} has it`));
  }
  const placement = networkNodes(set);
  const nets = networksByName(set);
  for (const m of [...set.containers, ...set.vms]) {
    const node = m.spec.node;
    if (node === undefined) {
      errors.push(errorAt(m, ['spec'], `spec.node is required: the manifests declare nodes (${names.join(', ')})`));
      continue;
    }
    if (!names.includes(node)) {
      errors.push(errorAt(m, ['spec', 'node'], `unknown node "${node}" (the nodes are ${names.join(', ')})`));
      continue;
    }
    memberNetworks(m).forEach((net, i) => {
      const on = placement.get(net);
      if (on && nets.get(net)?.spec.nodeSelector && !on.includes(node))
        errors.push(
          errorAt(
            m,
            ['spec', 'interfaces', i, 'network'],
            `network "${net}" is not on node "${node}": its nodeSelector picks ${on.join(', ') || 'no node'}`,
          ),
        );
    });
  }
  for (const n of set.networks) {
    if ((placement.get(n.metadata.name) ?? []).length) continue;
    const path = n.spec.nodeSelector ? ['spec', 'nodeSelector'] : ['metadata', 'name'];
    const why = n.spec.nodeSelector
      ? 'its nodeSelector matches no node'
      : 'no container or VM on it names a node, and it has no nodeSelector';
    errors.push(errorAt(n, path, `network "${n.metadata.name}" is on no node: ${why}`));
  }
  for (const h of set.hosts) {
    const sel = h.spec.nodeSelector;
    if (sel && !set.nodes.some((n) => selects(sel, n)))
      errors.push(
        errorAt(h, ['spec', 'nodeSelector'], `${label(h)} applies to no node: its nodeSelector matches none`),
      );
  }
  return errors;
};
