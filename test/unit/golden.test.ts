import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadManifests } from '../../src/manifest/index.js';
import { buildDesired } from '../../src/desired/build.js';
import { plan } from '../../src/plan/plan.js';
import { planToText } from '../../src/plan/view-text.js';
import { planToJson } from '../../src/plan/view-json.js';
import { rebuildInventory } from '../../src/observe/rebuild.js';
import { allocated } from '../../src/engine/allocations.js';

/**
 * The main unit tests: for each test/golden/<case>, the plan of its manifests against its
 * observed.json must equal plan.txt and plan.json, and its next inventory inventory.json.
 * `UPDATE_GOLDEN=1` rewrites them; only for intended changes, said so in the commit.
 */
const ROOT = resolve(import.meta.dirname, '../golden');
const cases = readdirSync(ROOT)
  .filter((d) => existsSync(join(ROOT, d, 'observed.json')))
  .sort();

function compare(file: string, actual: string): void {
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, actual);
  else expect(actual).toBe(readFileSync(file, 'utf8'));
}

describe('golden plans', () => {
  it('has at least 16 cases', () => expect(cases.length).toBeGreaterThanOrEqual(16));
  for (const name of cases) {
    it(name, async () => {
      const dir = join(ROOT, name);
      // a fleet's case: the host is this node
      const node = existsSync(join(dir, 'node')) ? readFileSync(join(dir, 'node'), 'utf8').trim() : undefined;
      const loaded = await loadManifests([join(dir, 'manifests')], { node });
      if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
      const snap = JSON.parse(readFileSync(join(dir, 'observed.json'), 'utf8'));
      // a lost state file: the real rebuild from the marks in the observed kernel
      const inventory = existsSync(join(dir, 'lost-state'))
        ? rebuildInventory(snap.observed, snap.inventory.instance)
        : snap.inventory;
      // the engine's own pipeline: addresses are allocated against the observed kernel, then planned
      const desired = buildDesired(loaded.value);
      const a = allocated({ set: loaded.value, desired }, desired, snap.observed, inventory);
      if (a.errors.length) throw new Error(a.errors.map((e) => e.message).join('\n'));
      const p = plan(a.desired, snap.observed, inventory, { adopt: existsSync(join(dir, 'adopt')) });
      const text = p.conflicts.length
        ? p.conflicts.map((c) => `conflict: ${c.message}\n`).join('')
        : planToText(p.actions, false);
      compare(join(dir, 'plan.txt'), text);
      compare(join(dir, 'plan.json'), JSON.stringify(planToJson(p.actions, snap.hostNetns), null, 2) + '\n');
      compare(join(dir, 'inventory.json'), JSON.stringify(p.conflicts.length ? null : p.inventory, null, 1) + '\n');
    });
  }
});
