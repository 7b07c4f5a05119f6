import { buildDesired } from '../desired/build.js';
import { netnsInode } from '../driver/netns-identity.js';
import { containerNetns } from '../manifest/container-netns.js';
import { checkRules } from '../manifest/index.js';
import { formatError, type CtnetError } from '../model/errors.js';
import type { ContainerOverride, Inventory } from '../model/inventory.js';
import type { ObservedState } from '../model/kernel.js';
import {
  applyOverrides,
  deltaOf,
  editList,
  effective,
  ifnameOf,
  targetInterface,
  type AddressEdit,
} from './address-edit.js';
import { addressesInUse, type AddressClaim } from './override-in-use.js';
import type { Loaded } from './load.js';
import { lookup } from '../model/lookup.js';

/** One overridden interface, as plan, apply and status show it. */
export interface OverrideView {
  readonly container: string;
  readonly netns: string;
  readonly interface: string;
  readonly add: readonly string[];
  readonly del: readonly string[];
}

export interface Resolved {
  /** The manifests with the overrides in them: the engine's desired state comes from this. */
  readonly loaded: Loaded;
  /** The inventory with the overrides that still hold (and the edit's), to be saved with the run. */
  readonly inventory: Inventory;
  readonly views: readonly OverrideView[];
  readonly errors: readonly CtnetError[];
  readonly notices: readonly string[];
}

type Overrides = Record<string, ContainerOverride>;

/**
 * desired = manifests + overrides. An override ends with its namespace (missing, or seen with
 * another identity: recreated, as a restarted container forgets vzctl's unsaved addresses) or its
 * container; `edit` (`ctnet set`) changes one. The overridden set then goes through the same
 * rules as manifests, plus what only the kernel knows: an added address in use elsewhere.
 * `offline` (a snapshot plan) cannot look at namespace identities.
 */
export function resolveOverrides(
  loaded: Loaded,
  inventory: Inventory,
  observed: ObservedState,
  edit?: AddressEdit,
  offline = false,
): Resolved {
  const notices: string[] = [];
  const kept: Overrides = {};
  for (const [name, o] of Object.entries(inventory.overrides ?? {})) {
    const ct = loaded.set.containers.find((c) => c.metadata.name === name);
    const inode = offline ? o.netnsInode : netnsInode(o.netns);
    const gone =
      !ct || containerNetns(ct) !== o.netns
        ? 'its container left the manifests or moved to another namespace'
        : !observed.netnsNames.includes(o.netns) || (o.netnsInode !== undefined && inode !== o.netnsInode)
          ? `its namespace ${o.netns} was recreated`
          : undefined;
    if (gone) notices.push(`runtime override of container ${name} (ctnet set) dropped: ${gone}`);
    else kept[name] = o;
  }
  const errors: CtnetError[] = [];
  const claims: AddressClaim[] = [];
  if (edit) errors.push(...applyEdit(loaded, kept, edit, claims));
  for (const [container, o] of Object.entries(kept)) {
    for (const [iface, d] of Object.entries(o.interfaces))
      claims.push({ container, netns: o.netns, iface, add: d.add });
  }
  const set = applyOverrides(loaded.set, kept);
  const checked = Object.keys(kept).length > 0 || edit !== undefined;
  if (checked && !errors.length) {
    // the files passed these rules already: whatever fails now, the overrides (or the edit) made fail
    const what = edit
      ? `ctnet set ${edit.container}`
      : `the runtime overrides (ctnet set ${Object.keys(kept).join(', ')} --reset drops them)`;
    errors.push(
      ...checkRules(set).map((e): CtnetError => ({ code: 'invalid', message: `with ${what}: ${formatError(e)}` })),
    );
    errors.push(
      ...addressesInUse(claims, observed).map((message): CtnetError => ({
        code: 'conflict',
        message: `with ${what}: ${message}`,
      })),
    );
  }
  const views = Object.entries(kept).flatMap(([container, o]) =>
    Object.entries(o.interfaces).map(([itf, d]) => ({
      container,
      netns: o.netns,
      interface: itf,
      add: d.add,
      del: d.del,
    })),
  );
  const overrides = Object.keys(kept).length ? kept : undefined;
  return {
    loaded: set === loaded.set ? loaded : { set, desired: buildDesired(set) },
    inventory: { ...inventory, overrides },
    views,
    errors,
    notices,
  };
}

/** `ctnet set` on the kept overrides: the new delta of the one interface, or why it cannot be. */
function applyEdit(loaded: Loaded, kept: Overrides, edit: AddressEdit, claims: AddressClaim[]): CtnetError[] {
  const fail = (message: string): CtnetError[] => [
    { code: 'invalid', message: `ctnet set ${edit.container}: ${message}` },
  ];
  const ct = loaded.set.containers.find((c) => c.metadata.name === edit.container);
  if (!ct) return fail(`no container "${edit.container}" in the manifests`);
  const netns = containerNetns(ct);
  if (netns === undefined)
    return fail(`container "${edit.container}" has no namespace of its own (driver ${ct.spec.driver})`);
  if (edit.reset) {
    delete kept[edit.container];
    return [];
  }
  const t = targetInterface(loaded.set, ct, edit.iface);
  if ('error' in t) return fail(t.error);
  const itf = (ct.spec.interfaces ?? [])[t.index];
  const name = ifnameOf(itf, t.index);
  const manifest = itf.addresses ?? [];
  // with --save the file holds them already: they are checked against the kernel all the same
  claims.push({ container: edit.container, netns, iface: name, add: edit.ipadd });
  const old = lookup(kept, edit.container);
  const delta = deltaOf(manifest, editList(effective(manifest, old?.interfaces[name]), edit));
  const interfaces = { ...(old?.interfaces ?? {}) };
  if (delta) interfaces[name] = delta;
  else delete interfaces[name];
  if (!Object.keys(interfaces).length) delete kept[edit.container];
  else
    kept[edit.container] = {
      netns,
      netnsInode: old?.netnsInode,
      interfaces,
      since: old?.since ?? new Date().toISOString(),
    };
  return [];
}

/** After a run: overrides made before their namespace existed learn its identity. */
export function stampIdentities(inv: Inventory): Inventory {
  if (!inv.overrides) return inv;
  const overrides = Object.fromEntries(
    Object.entries(inv.overrides).map(([k, o]) => [
      k,
      o.netnsInode !== undefined ? o : { ...o, netnsInode: netnsInode(o.netns) },
    ]),
  );
  return { ...inv, overrides };
}
