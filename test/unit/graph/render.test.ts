import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { topologyOfKernel, topologyOfManifests, topologyOfPlan } from '../../../src/graph/topology.js';
import { renderDot } from '../../../src/graph/render-dot.js';
import { renderMermaid } from '../../../src/graph/render-mermaid.js';
import { svgOfDot } from '../../../src/graph/render-svg.js';
import type { Topology } from '../../../src/graph/model.js';
import { golden, goldenPlan, manifests, svgNodes } from './fixtures.js';

/**
 * The renderers against golden files (UPDATE_GOLDEN=1 rewrites them, for intended changes only):
 * the demo's manifests, a real kernel's snapshot, and plans that change, create and delete. Each
 * dot file is also laid out by Graphviz, which refuses what it cannot parse.
 */
const pictures: Record<string, () => Promise<Topology>> = {
  manifests: async () => {
    const m = await manifests();
    return topologyOfManifests(m.set, m.desired);
  },
  'observed-noop': () => {
    const snap = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../golden/noop/observed.json'), 'utf8'));
    return Promise.resolve(topologyOfKernel(snap.observed, snap.inventory));
  },

  'plan-drift-link-down': async () => {
    const p = await goldenPlan('drift-link-down');
    return topologyOfPlan(p.plan, p.observed, p);
  },
  'plan-prune-container': async () => {
    const p = await goldenPlan('prune-container');
    return topologyOfPlan(p.plan, p.observed, p);
  },
};

describe.each(Object.keys(pictures))('%s', (name) => {
  it('dot: as the golden file, and Graphviz lays it out', async () => {
    const dot = renderDot(await pictures[name]());
    golden(`${name}.dot`, dot);
    expect(svgNodes(await svgOfDot(dot)).length).toBeGreaterThan(0);
  });

  it('mermaid: as the golden file', async () => {
    const text = renderMermaid(await pictures[name]());
    golden(`${name}.mmd`, text);
    expect(text).toMatch(/^---\ntitle: ".+"\n---\nflowchart LR\n/);
  });
});

describe('a plan picture', () => {
  it('has a legend of every status, in dot and in mermaid', async () => {
    const t = await pictures['plan-drift-link-down']();
    const dot = renderDot(t);
    for (const w of ['created', 'changed (drift or update)', 'deleted', 'unchanged'])
      expect(dot).toContain(`>${w}</FONT>`);
    expect(renderMermaid(t)).toContain('subgraph legend["legend"]');
    expect(renderDot(await pictures.manifests())).not.toContain('legend');
  });

  it('mermaid colours each node and edge by its status', async () => {
    const text = renderMermaid(await pictures['plan-prune-container']());
    expect(text).toMatch(/^ {2}class link_ve_ct102_venet0,container_ct102 deleted$/m);
    const edges = text.split('\n').filter((l) => / -(\.|-)- /.test(l));
    const deleted = edges.findIndex((l) => l.includes('container_ct102'));
    expect(text).toContain(`linkStyle ${deleted} stroke:#c62828`);
  });
});
