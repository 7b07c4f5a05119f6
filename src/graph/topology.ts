import type { DesiredState } from '../model/desired.js';
import type { Inventory } from '../model/inventory.js';
import type { ObservedState } from '../model/kernel.js';
import type { ManifestSet } from '../manifest/types.js';
import type { Plan } from '../plan/types.js';
import { buildTopology } from './build.js';
import { desiredItems, observedItems, planItems } from './items.js';
import type { Topology } from './model.js';
import { renderDot } from './render-dot.js';
import { renderMermaid } from './render-mermaid.js';

/** The three pictures `ctnet graph` draws: the manifests, the kernel, a plan between them. */
export const topologyOfManifests = (set: ManifestSet, desired: DesiredState): Topology =>
  buildTopology('desired', desiredItems(desired), set);

export const topologyOfKernel = (observed: ObservedState, inventory: Inventory): Topology =>
  buildTopology('observed', observedItems(observed, inventory));

export const topologyOfPlan = (
  plan: Plan,
  observed: ObservedState,
  planned: { readonly manifests?: ManifestSet; readonly desired: DesiredState; readonly inventory: Inventory },
): Topology => buildTopology('plan', planItems(planned.desired, observed, planned.inventory, plan), planned.manifests);

export const GRAPH_FORMATS = ['dot', 'mermaid', 'svg'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

/** The picture as text; SVG loads Graphviz's WebAssembly build only when it is asked for. */
export async function render(t: Topology, format: GraphFormat): Promise<string> {
  switch (format) {
    case 'dot':
      return renderDot(t);
    case 'mermaid':
      return renderMermaid(t);
    case 'svg':
      return (await import('./render-svg.js')).renderSvg(t);
  }
}
