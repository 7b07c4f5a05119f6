import type { ManifestSet } from '../manifest/types.js';
import { Drawing, ItemIndex } from './drawing.js';
import { HostNodes, drawHostLinks, drawNat, drawNetworks, drawPorts, drawProxies } from './draw-host.js';
import { drawContainers } from './draw-containers.js';
import { drawVms } from './draw-vms.js';
import { drawChanges } from './draw-changes.js';
import { hintsOf } from './hints.js';
import type { GraphItem } from './items.js';
import type { Topology } from './model.js';

/**
 * Kernel objects (desired, observed, or both with a plan's statuses) → the topology to draw. The
 * manifests, when there are some, name what the objects alone do not (hints.ts). Pure: the same
 * items give the same topology, in the same order.
 */
export function buildTopology(
  source: Topology['source'],
  items: readonly GraphItem[],
  manifests?: ManifestSet,
): Topology {
  const hints = hintsOf(manifests);
  const ix = new ItemIndex(items);
  const d = new Drawing();
  const nodes = new HostNodes(d);
  drawHostLinks(d, ix, hints, nodes);
  drawPorts(d, ix, nodes);
  drawNetworks(d, ix, hints, nodes);
  drawProxies(d, ix, hints, nodes);
  drawNat(d, ix, nodes);
  drawContainers(d, ix, hints, nodes);
  drawVms(d, ix, hints, nodes);
  drawChanges(d, items);
  return d.topology(source);
}
