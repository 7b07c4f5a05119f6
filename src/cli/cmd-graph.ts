import { loadDesired } from '../engine/load.js';
import { observedView } from '../engine/inspect.js';
import { reconcile } from '../engine/reconcile.js';
import type { CtnetError } from '../model/errors.js';
import {
  GRAPH_FORMATS,
  render,
  topologyOfKernel,
  topologyOfManifests,
  topologyOfPlan,
  type GraphFormat,
} from '../graph/topology.js';
import type { Topology } from '../graph/model.js';
import { readSnapshot } from './cmd-reconcile.js';
import { printErrors, printNotices, type GlobalOpts } from './output.js';

export interface GraphCliOpts {
  readonly observed?: boolean;
  readonly plan?: boolean;
  readonly snapshot?: string;
  readonly output?: string;
}

type Drawn =
  { readonly topology: Topology; readonly notices?: readonly string[] } | { readonly errors: readonly CtnetError[] };

const invalid = (message: string): { errors: CtnetError[] } => ({ errors: [{ code: 'invalid', message }] });

/** What the flags ask for, or why they cannot go together. */
function problemOf(paths: readonly string[], o: GraphCliOpts): string | undefined {
  if (o.observed && o.plan) return '--observed and --plan draw different pictures: give one';
  if (o.observed && paths.length)
    return '--observed draws the kernel and takes no PATH (--plan PATH compares it with manifests)';
  if (!o.observed && !paths.length) return 'graph needs the manifests to draw (PATH…), or --observed';
  if (o.snapshot && !o.observed && !o.plan)
    return '--snapshot stands for the kernel: it goes with --observed or --plan';
  return undefined;
}

/** `graph`: the manifests (offline), the kernel (`--observed`) or a plan (`--plan`) as dot, mermaid or SVG. */
export async function cmdGraph(g: GlobalOpts, paths: readonly string[], o: GraphCliOpts): Promise<number> {
  const format = o.output ?? 'dot';
  if (!(GRAPH_FORMATS as readonly string[]).includes(format))
    return printErrors(invalid(`-o must be dot, mermaid or svg, not "${format}"`).errors);
  const problem = problemOf(paths, o);
  if (problem) return printErrors(invalid(problem).errors);
  const drawn = o.plan
    ? await ofPlan(g, paths, o.snapshot)
    : o.observed
      ? await ofKernel(g, o.snapshot)
      : await ofManifests(paths);
  if ('errors' in drawn) return printErrors(drawn.errors);
  printNotices(drawn.notices ?? []);
  process.stdout.write(await render(drawn.topology, format as GraphFormat));
  return 0;
}

async function ofManifests(paths: readonly string[]): Promise<Drawn> {
  const r = await loadDesired(paths);
  return r.ok ? { topology: topologyOfManifests(r.value.set, r.value.desired) } : { errors: r.errors };
}

async function ofKernel(g: GlobalOpts, snapshotFile: string | undefined): Promise<Drawn> {
  const snap = snapshotFile ? readSnapshot(snapshotFile) : undefined;
  if (snap && 'code' in snap) return { errors: [snap] };
  const view = snap ?? (await observedView(g));
  return { topology: topologyOfKernel(view.observed, view.inventory), notices: 'notices' in view ? view.notices : [] };
}

async function ofPlan(g: GlobalOpts, paths: readonly string[], snapshotFile: string | undefined): Promise<Drawn> {
  const snapshot = snapshotFile ? readSnapshot(snapshotFile) : undefined;
  if (snapshot && 'code' in snapshot) return { errors: [snapshot] };
  const r = await reconcile({
    mode: 'plan',
    paths,
    snapshot,
    stateDir: g.stateDir,
    hostNetns: g.hostNetns,
    node: g.node,
    driverName: g.driverName,
  });
  if (r.errors.length) return { errors: r.errors };
  if (!r.plan || !r.observed || !r.planned) return invalid('the plan could not be made');
  return { topology: topologyOfPlan(r.plan, r.observed, r.planned), notices: r.notices };
}
