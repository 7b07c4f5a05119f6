import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { loadManifests } from '../../../src/manifest/index.js';
import type { ManifestSet } from '../../../src/manifest/types.js';
import { buildDesired } from '../../../src/desired/build.js';
import type { DesiredState } from '../../../src/model/desired.js';
import type { Inventory } from '../../../src/model/inventory.js';
import type { ObservedState } from '../../../src/model/kernel.js';
import { plan } from '../../../src/plan/plan.js';
import type { Plan } from '../../../src/plan/types.js';
import { allocated } from '../../../src/engine/allocations.js';

/** The demo's manifests, as shipped (manifests/). */
export const EXAMPLES = resolve(import.meta.dirname, '../../../manifests');
const GOLDEN_PLANS = resolve(import.meta.dirname, '../../golden');

export async function manifests(dir = EXAMPLES): Promise<{ set: ManifestSet; desired: DesiredState }> {
  const r = await loadManifests([dir]);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return { set: r.value, desired: buildDesired(r.value) };
}

export interface Planned {
  readonly manifests: ManifestSet;
  readonly desired: DesiredState;
  readonly observed: ObservedState;
  readonly inventory: Inventory;
  readonly plan: Plan;
}

/** A golden plan case (test/golden/<name>): its manifests planned against its real snapshot, as the engine plans. */
export async function goldenPlan(name: string): Promise<Planned> {
  const dir = join(GOLDEN_PLANS, name);
  const { set, desired: built } = await manifests(join(dir, 'manifests'));
  const snap = JSON.parse(readFileSync(join(dir, 'observed.json'), 'utf8')) as {
    observed: ObservedState;
    inventory: Inventory;
  };
  const desired = allocated({ set, desired: built }, built, snap.observed, snap.inventory).desired;
  return { manifests: set, desired, ...snap, plan: plan(desired, snap.observed, snap.inventory) };
}

/** Compares with a golden file of test/unit/graph/golden; `UPDATE_GOLDEN=1` rewrites it (intended changes only). */
export function golden(file: string, actual: string): void {
  const path = join(import.meta.dirname, 'golden', file);
  if (process.env.UPDATE_GOLDEN) writeFileSync(path, actual);
  expect(existsSync(path), `${path} is missing: UPDATE_GOLDEN=1 writes it`).toBe(true);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

export interface SvgNode {
  readonly id: string;
  readonly title: string;
  /** Every text the node shows, in order. */
  readonly texts: readonly string[];
}

type XmlElement = { [k: string]: unknown };

/**
 * An SVG read with a real XML parser: refused unless well-formed, with an `<svg>` root in the
 * SVG namespace; returns the nodes Graphviz drew (`<g class="node">`) with their ids and texts.
 */
export function svgNodes(svg: string): SvgNode[] {
  const valid = XMLValidator.validate(svg);
  if (valid !== true) throw new Error(`not well-formed XML: ${JSON.stringify(valid.err)}`);
  const doc = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    textNodeName: '#text',
    // Graphviz writes `-` in ids as a character reference (`&#45;`)
    htmlEntities: true,
  }).parse(svg) as { svg?: XmlElement };
  if (!doc.svg || doc.svg['@_xmlns'] !== 'http://www.w3.org/2000/svg')
    throw new Error('no <svg> root in the SVG namespace');
  const nodes: SvgNode[] = [];
  const walk = (el: unknown): void => {
    if (Array.isArray(el)) return el.forEach(walk);
    if (!el || typeof el !== 'object') return;
    const e = el as XmlElement;
    if (e['@_class'] === 'node') nodes.push({ id: String(e['@_id']), title: String(e.title), texts: textsOf(e) });
    for (const [k, v] of Object.entries(e)) if (!k.startsWith('@_')) walk(v);
  };
  walk(doc.svg);
  return nodes;
}

function textsOf(el: unknown): string[] {
  if (Array.isArray(el)) return el.flatMap(textsOf);
  if (!el || typeof el !== 'object') return [];
  return Object.entries(el as XmlElement).flatMap(([k, v]) =>
    k === 'text'
      ? [v].flat().map((t) => String(typeof t === 'object' ? (t as XmlElement)['#text'] : t))
      : k.startsWith('@_')
        ? []
        : textsOf(v),
  );
}
