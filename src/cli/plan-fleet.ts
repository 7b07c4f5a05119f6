import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { reconcile } from '../engine/reconcile.js';
import { exitCodeFor } from '../model/errors.js';
import { planToJson } from '../plan/view-json.js';
import { finish, readSnapshot, type ReconcileCliOpts } from './cmd-reconcile.js';
import { json, jsonError, printErrors, say, type GlobalOpts } from './output.js';

/** The snapshots of a directory: `h1.json` stands for node h1. */
function snapshotFiles(dir: string): string[] | undefined {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return undefined;
  }
}

/**
 * `plan DIR --snapshots SNAPDIR`: every node that has a snapshot there, planned offline against it,
 * one section per node (one JSON document in all), for a pull request that touches the fleet.
 * The exit code is the worst; with --detailed-exitcode, 2 when any node would change.
 */
export async function planFleet(g: GlobalOpts, paths: readonly string[], o: ReconcileCliOpts): Promise<number> {
  const fmt = o.output ?? (g.json ? 'json' : 'text');
  const files = snapshotFiles(o.snapshots!);
  if (!files?.length)
    return printErrors([{ code: 'invalid', message: `--snapshots ${o.snapshots}: no NODE.json snapshot there` }]);
  const out: Record<string, unknown> = {};
  let worst = 0;
  let changes = false;
  for (const file of files) {
    const node = basename(file, '.json');
    const snap = readSnapshot(file);
    const report =
      'code' in snap
        ? undefined
        : await reconcile({ mode: 'plan', paths, stateDir: g.stateDir, hostNetns: g.hostNetns, node, snapshot: snap });
    const errors = 'code' in snap ? [snap] : report!.errors;
    changes ||= !!report?.plan?.actions.length;
    if (fmt === 'json') {
      out[node] = errors.length
        ? { errors: errors.map(jsonError) }
        : planToJson(report!.plan!.actions, report!.hostNetns);
      worst = Math.max(worst, errors.length ? exitCodeFor(errors) : 0);
      continue;
    }
    say(g, fmt === 'markdown' ? `## node ${node}\n\n` : `# node ${node}\n`);
    worst = Math.max(worst, report ? finish(g, 'plan', fmt, report) : printErrors(errors));
  }
  if (fmt === 'json') json({ formatVersion: 1, nodes: out });
  return worst === 0 && o.detailedExitcode && changes ? 2 : worst;
}
