/**
 * Host sysctls are one value shared by every ctnet instance on a host (two state dirs against one
 * namespace). The host-wide registry (state/host-registry.ts) keeps, per key, the value the host
 * had before any instance changed it and the instances that need it; the engine reads it at
 * observe time and hands the planner this, as data.
 */
export interface SharedSysctl {
  /** The host's own value, before the first instance changed it. */
  readonly original?: string;
  /** The per-interface values the first change of a global switch rewrote. */
  readonly sideEffects?: Readonly<Record<string, string>>;
  /** Other live instances that still need the key: while there is one, it is not put back. */
  readonly heldBy: readonly string[];
}

/** By sysctl key (host keys only). */
export type SharedSysctls = Readonly<Record<string, SharedSysctl>>;

/** One key in the registry file. */
export interface RegistryEntry {
  readonly original?: string;
  readonly sideEffects?: Readonly<Record<string, string>>;
  /** By instance: where its state lives (to tell whether it is alive) and the owner that asked. */
  readonly holders: Readonly<Record<string, { readonly stateDir: string; readonly owner: string }>>;
}

export interface Registry {
  readonly version: 1;
  readonly sysctls: Readonly<Record<string, RegistryEntry>>;
}

export const emptyRegistry = (): Registry => ({ version: 1, sysctls: {} });
