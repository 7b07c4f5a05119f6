import type { CtnetError } from '../../model/errors.js';
import { attachments, errorAt, type Attached, type Rule } from './helpers.js';

/** Linux refuses a bridge's 1024th port (BR_MAX_PORTS in net/bridge/br_private.h): EXFULL. */
export const MAX_BRIDGE_PORTS = 1023;

/**
 * A bridge network's ports (each member's veth or tap, its uplink, its VXLAN device) fit on one
 * Linux bridge. Past the limit the kernel refuses every further port mid-apply; refused here,
 * before any change, at the first member over the limit. Per node: each node has its own bridge.
 */
export const bridgePorts: Rule = (set) => {
  const errors: CtnetError[] = [];
  const byNetwork = new Map<string, Attached[]>();
  for (const a of attachments(set)) {
    if (a.device !== undefined || a.network === undefined) continue;
    const list = byNetwork.get(a.network) ?? [];
    if (!list.length) byNetwork.set(a.network, list);
    list.push(a);
  }
  for (const n of set.networks) {
    if (n.spec.type !== 'bridge') continue;
    const own = (n.spec.uplink === undefined ? 0 : 1) + (n.spec.vxlan ? 1 : 0);
    const members = byNetwork.get(n.metadata.name) ?? [];
    if (own + members.length <= MAX_BRIDGE_PORTS) continue;
    const first = members[MAX_BRIDGE_PORTS - own];
    errors.push(
      errorAt(
        first.m,
        [...first.path, 'network'],
        `network "${n.metadata.name}" would have ${own + members.length} bridge ports; Linux allows at most ${MAX_BRIDGE_PORTS} on one bridge: spread the members over several bridge networks`,
      ),
    );
  }
  return errors;
};
