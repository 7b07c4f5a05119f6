import type { NsRef, ObservedState } from '../model/kernel.js';
import type { Op, Target } from '../model/ops.js';

/** Operations that run together, in order, in one target (one `ip -batch` process, say). */
export interface Batch {
  readonly target: Target;
  readonly ops: readonly Op[];
}

/** One refused operation: its index in the batch, the command as a person would type it, the kernel's words. */
export interface OpFailure {
  readonly index: number;
  readonly command: string;
  readonly message: string;
}

/** How far a batch got: operations from `ran` on did not run (a batch stops at its first refusal). */
export interface BatchOutcome {
  readonly ran: number;
  readonly failures: readonly OpFailure[];
}

export interface ObserveRequest {
  /** Named namespaces whose contents to read (owned or named by the manifests, and existing). */
  readonly namespaces: readonly string[];
  /** Host sysctl keys to read. */
  readonly sysctls: readonly string[];
  /** Sysctl keys to read inside named namespaces (a container's own settings). */
  readonly nsSysctls?: Readonly<Record<string, readonly string[]>>;
  /** Host sysctl families to read whole (`net.ipv4.conf.*.forwarding`). */
  readonly sysctlFamilies?: readonly { readonly family: 4 | 6; readonly leaf: string }[];
  /** Read every host `net.*` sysctl (snapshots). */
  readonly allSysctls?: boolean;
  /** Runtime namespace paths whose identity to report (containers attached by path). */
  readonly netnsPaths?: readonly string[];
  /** Sysctl keys to read inside those runtime namespaces, by path (their originals, before ctnet names them). */
  readonly pathSysctls?: Readonly<Record<string, readonly string[]>>;
  /** Namespaces looked into only for this instance's marks (a lost state): one that cannot be read is skipped. */
  readonly scanOnly?: readonly string[];
  /**
   * Probe what the kernel can make (capabilities.ts): only a loopback network's interface and
   * snapshots need the answer, and the probe makes and drops a namespace of its own.
   */
  readonly capabilities?: boolean;
  /** Probe which sysctls a network namespace keeps of its own (capabilities.ts; implies `capabilities`). */
  readonly netnsSysctls?: boolean;
  /**
   * Namespace ids an observation made moments ago, while every kernel event since is known (`watch`): a name
   * still naming the same namespace keeps its id, and only the others are asked (netns-ids-reuse.ts).
   */
  readonly knownNetnsIds?: KnownNetnsIds;
}

/** The ids and identities (`dev:ino`) of the named namespaces, as an earlier observation saw them. */
export interface KnownNetnsIds {
  readonly ids: Readonly<Record<string, number>>;
  readonly identity: Readonly<Record<string, string>>;
}

/** All kernel I/O goes through here; the iproute2 driver and the test fake implement it. */
export interface Driver {
  /** `--host-netns`: the namespace that plays the host, or null for the real one. */
  readonly hostNetns: string | null;
  listNetns(): Promise<string[]>;
  observe(req: ObserveRequest): Promise<ObservedState>;
  /** Runs batches concurrently (bounded), each in order; never throws for kernel refusals. */
  run(batches: readonly Batch[]): Promise<BatchOutcome[]>;
}

export type { NsRef };
