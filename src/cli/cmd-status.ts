import { existsSync } from 'node:fs';
import { ownerOfAlias } from '../model/kernel.js';
import { plan as makePlan } from '../plan/plan.js';
import { loadState } from '../state/store.js';
import { emptyDesired, loadDesired, look, makeDriver } from './session.js';
import { say, type GlobalOpts } from './output.js';

/** `status`: what ctnet owns, whether it is there, and drift from the last applied manifests. */
export async function cmdStatus(g: GlobalOpts): Promise<number> {
  const st = loadState(g.stateDir);
  const files = (st.inventory.lastApplied?.files ?? []).filter((f) => existsSync(f));
  const desired = files.length ? (await loadDesired(files)).desired : emptyDesired();
  const view = await look(makeDriver(g), g, desired);
  const namespaces = Object.entries(view.inventory.namespaces).map(([name, owner]) => ({
    name, owner, present: view.observed.netnsNames.includes(name),
  }));
  const links = view.observed.host.links.flatMap((l) => {
    const owner = ownerOfAlias(l.alias);
    return owner ? [{ name: l.name, owner, up: l.up }] : [];
  });
  const drift = files.length ? makePlan(desired, view.observed, view.inventory).actions.map((a) => `${a.action} ${a.object}${a.netns ? ` (netns ${a.netns})` : ''}: ${a.reason}`) : [];
  const status = { lastApplied: view.inventory.lastApplied ?? null, namespaces, hostLinks: links, sysctls: view.inventory.sysctls, drift };
  if (g.json) {
    say(g, JSON.stringify(status, null, 2) + '\n');
    return 0;
  }
  const out = [`last applied: ${status.lastApplied ? `${status.lastApplied.at} (${status.lastApplied.digest})` : 'never'}`];
  out.push(`namespaces (${namespaces.length}):`, ...namespaces.map((n) => `  ${n.present ? 'ok     ' : 'MISSING'} ${n.name}  ${n.owner}`));
  out.push(`host links (${links.length}):`, ...links.map((l) => `  ${l.up ? 'up  ' : 'DOWN'} ${l.name}  ${l.owner}`));
  out.push(drift.length ? `drift (${drift.length}):` : 'drift: none', ...drift.map((d) => `  ${d}`));
  say(g, out.join('\n') + '\n');
  return 0;
}
