import { keyLabel } from '../model/keys.js';
import { keyOf } from '../kinds/registry.js';
import { line, type Drawing } from './drawing.js';
import { ownerParts } from './draw-host.js';
import type { GraphItem } from './items.js';

/**
 * What a plan changes that the picture has no shape for (a guest's host route, a proxy entry, a
 * sysctl, the nftables table's rules): a line on its owner's node, or with the host for host-wide
 * objects, so every change of a plan is in its picture. A line that says no more than its node
 * (a route created with its new container) is left out; a namespace's `lo` and IPAM's records are
 * never drawn.
 */
export function drawChanges(d: Drawing, items: readonly GraphItem[]): void {
  for (const i of items) {
    if (i.status === 'same' || d.drawn.has(i) || i.kind === 'allocation') continue;
    if (i.kind === 'link' && i.obj.name === 'lo') continue;
    const text = `${keyLabel(keyOf(i))}${i.change ? `: ${i.change}` : ''}`;
    const hostWide = i.ns === null && (i.kind === 'sysctl' || i.kind === 'nftable');
    const [role, name] = ownerParts(i.owner);
    const node = hostWide ? undefined : d.get(`${role}-${name}`);
    if (node && node.status !== i.status) node.lines.push(line(text, i.status));
    else if (!node) d.hostLines.push(line(text, i.status));
  }
}
