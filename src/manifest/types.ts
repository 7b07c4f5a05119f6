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
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly vxlan?: VxlanSpec;
}

/** A bridge network that spans its nodes. */
export interface VxlanSpec {
  readonly vni: number;
  readonly port?: number;
  readonly gatewayNode?: string;
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
  readonly node?: string;
}

export interface VmInterface {
  readonly network: string;
  readonly tap?: string;
  readonly mac?: string;
  readonly addresses?: readonly string[];
}

export interface VirtualMachineSpec {
  readonly interfaces?: readonly VmInterface[];
  readonly node?: string;
}

export interface HostSpec {
  readonly sysctls?: Readonly<Record<string, string>>;
  readonly protectedInterfaces?: readonly string[];
  readonly nodeSelector?: Readonly<Record<string, string>>;
}

export interface NodeSpec {
  readonly address: string;
  readonly interface?: string;
  readonly blocks?: Readonly<Record<string, string>>;
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
export type NodeManifest = Base<'Node', NodeSpec>;
export type Manifest = NetworkManifest | ContainerManifest | VirtualMachineManifest | HostManifest | NodeManifest;
export type ManifestKind = Manifest['kind'];

/** Everything the manifests say, validated, keyed by name and sorted by name. */
export interface ManifestSet {
  readonly networks: readonly NetworkManifest[];
  readonly containers: readonly ContainerManifest[];
  readonly vms: readonly VirtualMachineManifest[];
  /** Host documents merged in file order; at most one is usual. */
  readonly hosts: readonly HostManifest[];
  /** The fleet's hosts; none: everything is this host's. */
  readonly nodes: readonly NodeManifest[];
  /** Files read, for messages and for `watch`. */
  readonly files: readonly string[];
  /** A node's slice of a fleet (`sliceFor`): where it stands among the others. */
  readonly fleet?: FleetView;
}

/**
 * One repository, many hosts. With Node manifests, each host builds only its slice: the
 * containers and VMs whose `spec.node` is it, the networks they use or whose `nodeSelector`
 * picks it, the Host documents that pick it. Without Node manifests everything is local.
 */
export interface FleetView {
  /** This host. */
  readonly node: NodeManifest;
  readonly nodes: readonly NodeManifest[];
  /** Each network's nodes, sorted by name. */
  readonly networkNodes: ReadonlyMap<string, readonly string[]>;
  /** Every address the whole repository declares (interfaces and gateways): never handed out here. */
  readonly reserved: readonly string[];
  /** Files that hold documents anywhere in the fleet: a path with only other nodes' documents is not empty. */
  readonly docFiles: readonly string[];
}
