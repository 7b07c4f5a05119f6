import type {
  AddressObj,
  DeviceObj,
  FdbObj,
  LinkObj,
  NeighborObj,
  NsRef,
  PortObj,
  RouteObj,
  SysctlObj,
} from './kernel.js';
import type { NftTableObj } from './nft.js';

/** Who asked for an object: `container/ct101`, `network/lan`, `host/default`. */
export type Owner = string;

export interface ObjOf {
  /** `path`: a runtime's namespace that ctnet names and uses, but never creates or deletes. */
  readonly netns: { readonly name: string; readonly path?: string };
  readonly link: LinkObj;
  readonly port: PortObj;
  readonly address: AddressObj;
  readonly route: RouteObj;
  readonly neighbor: NeighborObj;
  readonly fdb: FdbObj;
  readonly sysctl: SysctlObj;
  readonly device: DeviceObj;
  readonly allocation: { readonly name: string; readonly addresses: readonly string[] };
  readonly nftable: NftTableObj;
}

/** One object the manifests ask for, in its namespace (`null` = host; a netns lives in the root). */
export type DesiredObject = {
  [K in keyof ObjOf]: {
    readonly kind: K;
    readonly ns: NsRef;
    readonly owner: Owner;
    readonly obj: ObjOf[K];
    /** The manifest field that asks for it in so many words (`spec.interfaces[0].device`): where a refusal points. */
    readonly field?: string;
  };
}[keyof ObjOf];

export type DesiredOf<K extends keyof ObjOf> = Extract<DesiredObject, { kind: K }>;

/**
 * The kernel as the manifests want it. Foreign interfaces that the manifests lean on (a routed
 * uplink to publish on) are listed in `uses`, so the planner can check they exist before anything
 * changes.
 */
export interface DesiredState {
  readonly objects: readonly DesiredObject[];
  readonly uses: readonly {
    readonly dev: string;
    readonly role: 'uplink' | 'port' | 'custom';
    readonly owner: Owner;
    readonly field: string;
  }[];
  readonly protectedInterfaces: readonly string[];
  /** Manifests that ask for contradicting values of one object (a sysctl set two ways). */
  readonly conflicts: readonly { readonly owner: Owner; readonly field?: string; readonly message: string }[];
}

export const emptyDesired = (): DesiredState => ({ objects: [], uses: [], protectedInterfaces: ['lo'], conflicts: [] });

export const desiredNetns = (d: DesiredState): DesiredOf<'netns'>[] =>
  d.objects.filter((o): o is DesiredOf<'netns'> => o.kind === 'netns');
