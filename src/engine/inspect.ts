import { existsSync } from 'node:fs';
import { emptyDesired } from '../model/desired.js';
import type { CtnetError } from '../model/errors.js';
import { recordedNetns, recordedSysctls, type Inventory } from '../model/inventory.js';
import { lookup } from '../model/lookup.js';
import { markedOwner } from '../model/marker.js';
import { nsObjectsIn, type ObservedState } from '../model/kernel.js';
import { plan as makePlan } from '../plan/plan.js';
import { loadDesired } from './load.js';
import { allocated, recordedAllocations } from './allocations.js';
import { loadManifests } from '../manifest/index.js';
import { buildDesired } from '../desired/build.js';
import { look } from './session.js';
import { pendingNotice, reverterAlive } from './confirm.js';
import { msLeft, readPending, readEnded, type Ended } from '../state/pending.js';
import type { EngineConfig, Snapshot } from './types.js';
import { resolveOverrides, type OverrideView } from './overrides.js';

export interface ValidateResult {
  readonly errors: readonly CtnetError[];
  readonly files: number;
  readonly objects: number;
}

/** `validate`: every check that needs no kernel. */
export async function validate(paths: readonly string[]): Promise<ValidateResult> {
  const r = await loadDesired(paths);
  if (!r.ok) return { errors: r.errors, files: 0, objects: 0 };
  const s = r.value.set;
  return {
    errors: [],
    files: s.files.length,
    objects: s.networks.length + s.containers.length + s.vms.length + s.hosts.length + s.nodes.length,
  };
}

/** `snapshot`: the host, every owned namespace and every host `net.*` sysctl, with the inventory. */
export async function snapshot(
  c: EngineConfig,
  paths: readonly string[],
): Promise<{ snapshot?: Snapshot; errors: readonly CtnetError[]; notices: readonly string[] }> {
  let desired = emptyDesired();
  if (paths.length) {
    // the manifests only say what to look at: contradictions among them are plan's to report
    const r = await loadManifests([...paths], { node: c.node });
    if (!r.ok) return { errors: r.errors, notices: [] };
    desired = buildDesired(r.value);
  }
  const view = await look(c, desired, 'unlocked', { allSysctls: true });
  return {
    snapshot: { formatVersion: 1, hostNetns: c.hostNetns, observed: view.observed, inventory: view.inventory },
    errors: [],
    notices: view.notices,
  };
}

/**
 * The kernel as this instance sees it, changing nothing (a lost or corrupt state file is rebuilt
 * from marks for this read, never set aside): what `ctnet graph --observed` draws.
 */
export async function observedView(
  c: EngineConfig,
): Promise<{ observed: ObservedState; inventory: Inventory; notices: readonly string[] }> {
  const view = await look(c, emptyDesired(), 'read-only');
  return { observed: view.observed, inventory: view.inventory, notices: view.notices };
}

export interface StatusReport {
  readonly lastApplied: unknown;
  /** `path`: a runtime's namespace ctnet only named (`ctnet-rt-<container>`), and what the name points to. */
  readonly namespaces: readonly { name: string; owner: string; present: boolean; interfaces: number; path?: string }[];
  readonly hostLinks: readonly { name: string; owner: string; up: boolean }[];
  readonly sysctls: readonly { key: string; original?: string; current?: string }[];
  readonly allocations: Readonly<Record<string, readonly string[]>>;
  /** Runtime overrides (`ctnet set` without `--save`) that still hold. */
  readonly overrides: readonly OverrideView[];
  readonly drift: readonly string[];
  readonly notices: readonly string[];
  /** A change applied with `--confirm` that waits for `ctnet confirm`, and the last one reverted. */
  readonly confirmation: Confirmation;
}

export interface Confirmation {
  readonly pending: { appliedAt: string; deadline: string; secondsLeft: number; reverterAlive: boolean } | null;
  readonly last: Ended | null;
}

function confirmationOf(c: EngineConfig): Confirmation {
  const p = readPending(c.stateDir);
  const pending = p
    ? {
        appliedAt: p.appliedAt,
        deadline: p.deadline,
        secondsLeft: Math.max(0, Math.round(msLeft(p) / 1000)),
        reverterAlive: reverterAlive(p.id),
      }
    : null;
  return { pending, last: readEnded(c.stateDir) ?? null };
}

/** `status`: what this instance owns, whether it is there, and drift from the last applied manifests. */
export async function status(c: EngineConfig): Promise<StatusReport> {
  const expired = pendingNotice(c);
  const first = await look(c, emptyDesired(), 'unlocked');
  const files = (first.inventory.lastApplied?.files ?? []).filter((f) => existsSync(f));
  const loaded = files.length ? await loadDesired(files, { node: c.node }) : undefined;
  const manifestDesired = loaded?.ok ? loaded.value.desired : emptyDesired();
  const view = loaded?.ok ? await look(c, manifestDesired, 'unlocked') : first;
  // drift is measured against manifests + overrides, as apply would converge
  const o = loaded?.ok ? resolveOverrides(loaded.value, view.inventory, view.observed) : undefined;
  const desired = allocated(o?.loaded, o?.loaded.desired ?? manifestDesired, view.observed, view.inventory).desired;
  const obs = view.observed;
  const namespaces = Object.entries(recordedNetns(view.inventory)).map(([name, owner]) => ({
    name,
    owner,
    present: obs.netnsNames.includes(name),
    // recordedNetns read the name off this very record
    path: view.inventory.objects[`netns ${name}`].path,
    interfaces: (nsObjectsIn(obs, name)?.links ?? []).filter((l) => l.name !== 'lo').length,
  }));
  const hostLinks = obs.host.links.flatMap((l) => {
    const owner =
      markedOwner(l.alias, view.inventory.instance) ?? lookup(view.inventory.objects, `link host ${l.name}`)?.owner;
    return owner ? [{ name: l.name, owner, up: !!l.up }] : [];
  });
  const sysctls = Object.entries(recordedSysctls(view.inventory)).map(([key, r]) => ({
    key,
    original: r.original,
    current: obs.host.sysctls[key],
  }));
  const drift = loaded?.ok
    ? makePlan(desired, obs, view.inventory).actions.map(
        (a) => `${a.action} ${a.object}${a.netns && a.type !== 'netns' ? ` (netns ${a.netns})` : ''}: ${a.reason}`,
      )
    : [];
  return {
    lastApplied: view.inventory.lastApplied ?? null,
    namespaces,
    hostLinks,
    sysctls,
    allocations: recordedAllocations(view.inventory),
    overrides: o?.views ?? [],
    drift,
    confirmation: confirmationOf(c),
    notices: [
      ...(expired ? [expired] : []),
      ...view.notices,
      ...(o?.notices ?? []),
      ...(o?.errors ?? []).map((e) => e.message),
    ],
  };
}
