import type { DesiredOf } from '../model/desired.js';
import type { ReservedNetns } from '../model/kernel.js';
import type { PlanContext } from './context.js';

const FIELD = 'spec.netns.path';
const ONE_OWNER = 'a namespace has one owner';

const RESERVED: Record<ReservedNetns, string> = {
  host: 'the network namespace playing the host',
  self: 'the network namespace ctnet runs in',
  root: "the root network namespace (PID 1's)",
};

type Named = ReadonlyMap<string, { readonly name: string; readonly owner: string }>;

/**
 * A runtime's namespace (`netns: {path}`) is judged by what the path names, not by how it is
 * spelt, before any change: a network namespace that is nobody else's. Not the host's (whatever
 * path leads there: `/proc/self/ns/net`, `/run/netns/HOST`), not one ctnet made for a named
 * container, not another container's runtime namespace: a namespace has one owner.
 */
export function checkNetnsPaths(ctx: PlanContext): void {
  const o = ctx.observed;
  // a container already attached keeps its namespace: the newcomer is the one refused
  const already = (d: DesiredOf<'netns'>): number =>
    o.netnsIdentity?.[d.obj.name] === o.pathIdentity?.[d.obj.path!] ? 0 : 1;
  const attached = ctx
    .desiredOf('netns')
    .filter((d) => d.obj.path)
    .sort((a, b) => already(a) - already(b));
  if (!attached.length) return;
  const named = namedByIdentity(ctx);
  const first = new Map<string, DesiredOf<'netns'>>();
  for (const d of attached) {
    const id = o.pathIdentity?.[d.obj.path!];
    const other = id === undefined ? undefined : first.get(id);
    const twice =
      other && `${d.obj.path} is the same namespace as ${other.obj.path}, which ${other.owner} uses: ` + ONE_OWNER;
    const why = problem(ctx, d, named) ?? twice;
    if (why) ctx.conflict({ owner: d.owner, field: FIELD, message: why });
    else if (id !== undefined) first.set(id, d);
  }
}

/** Named namespaces ctnet made for containers (desired, recorded or marked), by identity. */
function namedByIdentity(ctx: PlanContext): Named {
  const out = new Map<string, { name: string; owner: string }>();
  const desired = new Map(
    ctx
      .desiredOf('netns')
      .filter((d) => !d.obj.path)
      .map((d) => [d.obj.name, d.owner]),
  );
  for (const [name, id] of Object.entries(ctx.observed.netnsIdentity ?? {})) {
    const attachedName = ctx.record({ kind: 'netns', ns: null, name })?.path !== undefined;
    const owner = desired.get(name) ?? (attachedName ? undefined : ctx.netnsOwner(name));
    if (owner) out.set(id, { name, owner });
  }
  return out;
}

function problem(ctx: PlanContext, d: DesiredOf<'netns'>, named: Named): string | undefined {
  const path = d.obj.path!;
  const id = ctx.observed.pathIdentity?.[path];
  if (id === undefined) return missing(ctx, d);
  const reserved = ctx.observed.reservedIdentity?.[id];
  if (reserved) return `${path} is ${RESERVED[reserved]}: a container never lives there`;
  const mine = named.get(id);
  if (mine && mine.name !== d.obj.name) {
    return `${path} is network namespace "${mine.name}", which ctnet made for ${mine.owner}: ${ONE_OWNER}`;
  }
  return undefined;
}

/** A path that names no network namespace (yet). */
function missing(ctx: PlanContext, d: DesiredOf<'netns'>): string | undefined {
  const path = d.obj.path!;
  // named by text before it exists: `/run/netns/NAME` of a container this plan makes
  const m = path.match(/^\/run\/netns\/([^/]+)$/);
  const owner = m ? ctx.desiredOf('netns').find((x) => !x.obj.path && x.obj.name === m[1])?.owner : undefined;
  if (owner) return `${path} is the namespace ctnet makes for ${owner}: ${ONE_OWNER}`;
  const p = ctx.observed.pathProblems?.[path];
  if (p === 'not-netns') return `${path} is not a network namespace`;
  if (p === 'denied') return `${path} cannot be looked at (permission denied): ctnet uses no namespace it cannot tell`;
  // the runtime is gone but the name still holds its namespace: kept as it is
  return ctx.observed.netnsNames.includes(d.obj.name) ? undefined : `namespace ${path} does not exist`;
}
