import type { NsRef } from '../model/kernel.js';

export type ActionKind = 'create' | 'update' | 'replace' | 'delete';
export type ObjectType = 'netns' | 'link' | 'address' | 'route' | 'neighbor' | 'sysctl';

/**
 * One kernel command. `ns` is where it runs: `null` the host, a name a container namespace,
 * `root` the namespace ctnet itself runs in (where `ip netns add/del` happen). ip commands are
 * argv without the leading `ip` (they go into `ip -batch`); sysctls are writes to /proc/sys.
 */
export type Command =
  | { readonly ns: NsRef | 'root'; readonly ip: readonly string[] }
  | { readonly ns: NsRef; readonly sysctl: { readonly key: string; readonly value: string } };

export interface Action {
  readonly action: ActionKind;
  readonly type: ObjectType;
  /** Namespace the object lives in; `null` for the host. */
  readonly netns: NsRef;
  readonly object: string;
  readonly owner?: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly reason: string;
  readonly disruptive: boolean;
  readonly commands: readonly Command[];
}

/** A manifest-level problem the kernel's state reveals: apply must not start. */
export interface Conflict {
  readonly owner?: string;
  readonly field?: string;
  readonly message: string;
}

/** What ctnet remembers between runs (state.json): what it owns and what it changed. */
export interface Inventory {
  readonly version: 1;
  /** Namespaces ctnet created, by name, with the owner that asked for them. */
  readonly namespaces: Readonly<Record<string, string>>;
  /** Host sysctls ctnet changed, with the value they had before ctnet first changed them. */
  readonly sysctls: Readonly<Record<string, string>>;
  /** Digest and time of the last manifests applied, for `status`. */
  readonly lastApplied?: { readonly digest: string; readonly at: string; readonly files: readonly string[] };
}

export const emptyInventory = (): Inventory => ({ version: 1, namespaces: {}, sysctls: {} });

export interface Plan {
  readonly actions: readonly Action[];
  readonly conflicts: readonly Conflict[];
  /** The inventory as it will be once every action has run. */
  readonly inventory: Inventory;
}
