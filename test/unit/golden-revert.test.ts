import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadManifests } from '../../src/manifest/index.js';
import { buildDesired } from '../../src/desired/build.js';
import { plan } from '../../src/plan/plan.js';
import { checkpointDesired, unrestorable } from '../../src/plan/checkpoint.js';
import { planToText } from '../../src/plan/view-text.js';
import { planToJson } from '../../src/plan/view-json.js';
import { reconcile } from '../../src/engine/reconcile.js';
import type { AddressEdit } from '../../src/engine/address-edit.js';
import type { Snapshot } from '../../src/engine/types.js';

/**
 * Golden reverts: for each test/golden-revert/<case>, the plan `apply --atomic` makes to go back
 * to checkpoint.json from observed.json (the kernel after the failed run, with the intent that run
 * recorded) must equal revert.txt and revert.json. plan.txt is the failed run's own plan, for the
 * reader. `UPDATE_GOLDEN=1` rewrites them; only for intended changes, said so in the commit.
 */
const ROOT = resolve(import.meta.dirname, '../golden-revert');
const cases = readdirSync(ROOT)
  .filter((d) => existsSync(join(ROOT, d, 'checkpoint.json')))
  .sort();
const read = (dir: string, f: string): Snapshot => JSON.parse(readFileSync(join(dir, f), 'utf8'));

function compare(file: string, actual: string): void {
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, actual);
  else expect(actual).toBe(readFileSync(file, 'utf8'));
}

/** `set CT % --ipadd A,B --ipdel C`: the runtime override the failed run made. */
function editOf(dir: string): AddressEdit | undefined {
  if (!existsSync(join(dir, 'run'))) return undefined;
  const args = readFileSync(join(dir, 'run'), 'utf8').trim().split(/\s+/);
  const list = (flag: string): string[] => {
    const i = args.indexOf(flag);
    return i < 0 ? [] : args[i + 1].split(',');
  };
  return { container: args[1], ipadd: list('--ipadd'), ipdel: list('--ipdel') };
}

/** The failed run's plan, offline against the checkpoint, by the engine's own `plan --snapshot`. */
async function runPlan(dir: string, cp: Snapshot) {
  const r = await reconcile({
    mode: 'plan',
    paths: [join(dir, 'manifests')],
    snapshot: cp,
    stateDir: join(dir, 'no-state'),
    hostNetns: cp.hostNetns,
    edit: editOf(dir),
  });
  if (!r.plan || r.errors.length) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.plan;
}

describe('golden reverts', () => {
  it('has at least 12 cases', () => expect(cases.length).toBeGreaterThanOrEqual(12));
  for (const name of cases) {
    it(name, async () => {
      const dir = join(ROOT, name);
      const cp = read(dir, 'checkpoint.json');
      const after = read(dir, 'observed.json');
      const loaded = await loadManifests([join(dir, 'manifests')]);
      if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
      // the run's protected interfaces are never touched by its rollback either
      const desired = checkpointDesired(cp.observed, cp.inventory, buildDesired(loaded.value).protectedInterfaces);
      expect(unrestorable(cp.observed, cp.inventory)).toEqual([]);

      // the snapshots belong together: after the failure, the state is the run's intent
      const run = await runPlan(dir, cp);
      compare(join(dir, 'plan.txt'), planToText(run.actions, false));
      expect(after.inventory.objects).toEqual({ ...run.inventory.objects, ...cp.inventory.objects });

      // the checkpoint restored onto itself changes nothing
      const noop = plan(desired, cp.observed, cp.inventory);
      expect(noop.conflicts).toEqual([]);
      expect(noop.actions).toEqual([]);

      const revert = plan(desired, after.observed, after.inventory);
      expect(revert.conflicts).toEqual([]);
      expect(revert.actions.length).toBeGreaterThan(0);
      // after the revert, ctnet owns what it owned at the checkpoint
      expect(Object.keys(revert.inventory.objects).sort()).toEqual(Object.keys(cp.inventory.objects).sort());
      compare(join(dir, 'revert.txt'), planToText(revert.actions, false));
      compare(join(dir, 'revert.json'), JSON.stringify(planToJson(revert.actions, after.hostNetns), null, 2) + '\n');
    });
  }
});
