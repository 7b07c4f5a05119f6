import type { NsRef, ObservedState } from '../model/kernel.js';

/** One process's worth of work in one namespace: ip batch lines, or sysctl writes. */
export type Batch =
  | { readonly ns: NsRef | 'root'; readonly lines: readonly string[] }
  | { readonly ns: NsRef; readonly sysctls: readonly { readonly key: string; readonly value: string }[] };

export interface BatchFailure {
  readonly ns: NsRef | 'root';
  /** The command that failed, as written in the batch, and what the kernel said. */
  readonly command: string;
  readonly message: string;
}

export interface ObserveRequest {
  /** Named namespaces whose contents to read (owned or named by the manifests, and existing). */
  readonly namespaces: readonly string[];
  /** Host sysctl keys to read. */
  readonly sysctls: readonly string[];
}

/** All kernel I/O goes through here; the iproute2 driver and the test fake implement it. */
export interface Driver {
  /** `--host-netns`: the namespace that plays the host, or null for the real one. */
  readonly hostNetns: string | null;
  listNetns(): Promise<string[]>;
  observe(req: ObserveRequest): Promise<ObservedState>;
  /** Runs batches in parallel (bounded); resolves with every failure, never throws for kernel errors. */
  run(batches: readonly Batch[]): Promise<BatchFailure[]>;
}
