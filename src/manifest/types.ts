import type { SourcePos } from '../model/errors.js';

/** Field path inside one YAML document: `['spec', 'interfaces', 0, 'addresses', 1]`. */
export type FieldPath = readonly (string | number)[];

/** Finds the source position of a field; falls back to the nearest existing parent. */
export interface DocSource {
  readonly file: string;
  readonly at: (path: FieldPath) => SourcePos;
}

export type NetworkType = 'routed' | 'bridge' | 'loopback' | 'custom';
export type Driver = 'vnet' | 'ipnet' | 'host' | 'disabled';

export interface NetworkSpec {
  readonly type: NetworkType;
  readonly subnets?: readonly string[];
  readonly uplink?: string;
  readonly gateway?: string | readonly string[];
  readonly mtu?: number;
  readonly bridge?: string;
  readonly interface?: string;
  readonly nat?: boolean;
}

export interface ContainerInterface {
  readonly name?: string;
  readonly network?: string;
  readonly device?: string;
  readonly mac?: string;
  readonly mtu?: number;
  readonly addresses?: readonly string[];
}

export interface RouteSpec {
  readonly to: string;
  readonly via?: string;
  /** One of the container's interfaces (its name inside the container). */
  readonly dev?: string;
  readonly onlink?: boolean;
}

export interface ContainerSpec {
  readonly driver?: Driver;
  readonly netns?: string | { readonly path: string };
  readonly interfaces?: readonly ContainerInterface[];
  readonly routes?: readonly RouteSpec[];
  readonly sysctls?: Readonly<Record<string, string>>;
}

export interface VmInterface {
  readonly network: string;
  readonly tap?: string;
  readonly mac?: string;
  readonly addresses?: readonly string[];
}

export interface VirtualMachineSpec {
  readonly interfaces?: readonly VmInterface[];
}

export interface HostSpec {
  readonly sysctls?: Readonly<Record<string, string>>;
  readonly protectedInterfaces?: readonly string[];
}

interface Base<K extends string, S> {
  readonly apiVersion: 'ctnet/v1';
  readonly kind: K;
  readonly metadata: { readonly name: string; readonly labels?: Readonly<Record<string, string>> };
  readonly spec: S;
  readonly source: DocSource;
}

export type NetworkManifest = Base<'Network', NetworkSpec>;
export type ContainerManifest = Base<'Container', ContainerSpec>;
export type VirtualMachineManifest = Base<'VirtualMachine', VirtualMachineSpec>;
export type HostManifest = Base<'Host', HostSpec>;
export type Manifest = NetworkManifest | ContainerManifest | VirtualMachineManifest | HostManifest;
export type ManifestKind = Manifest['kind'];

/** Everything the manifests say, validated, keyed by name and sorted by name. */
export interface ManifestSet {
  readonly networks: readonly NetworkManifest[];
  readonly containers: readonly ContainerManifest[];
  readonly vms: readonly VirtualMachineManifest[];
  /** Host documents merged in file order; at most one is usual. */
  readonly hosts: readonly HostManifest[];
  /** Files read, for messages and for `watch`. */
  readonly files: readonly string[];
}
