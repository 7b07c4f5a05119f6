import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderSvg } from '../../../src/graph/render-svg.js';
import { topologyOfManifests } from '../../../src/graph/topology.js';
import { manifests } from '../graph/fixtures.js';

/** docs/topology.svg, in the README, is `ctnet graph -o svg manifests` of the shipped manifests (`npm run docs` writes it). */
describe('docs/topology.svg', () => {
  it('is the picture of the shipped manifests, as ctnet graph draws it now', async () => {
    const { set, desired } = await manifests();
    const svg = await renderSvg(topologyOfManifests(set, desired));
    const doc = readFileSync(resolve(import.meta.dirname, '../../../docs/topology.svg'), 'utf8');
    expect(doc === svg, 'docs/topology.svg is out of date: run `npm run docs`').toBe(true);
  });
});
