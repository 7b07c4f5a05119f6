import type { ObservedState, PathProblem } from '../model/kernel.js';
import { probeNetnsPath, reservedIdentities } from './netns-path.js';
import type { ObserveRequest } from './types.js';

type PathFacts = Pick<ObservedState, 'pathIdentity' | 'pathProblems' | 'reservedIdentity' | 'pathSysctls'>;

/** How sysctls are read inside a namespace given by absolute path (a SysctlReader's `keys`). */
type ReadKeys = (netns: string, keys: readonly string[]) => Promise<Record<string, string>>;

/**
 * What the runtime namespace paths of the manifests name, for the planner to judge before any
 * change: which network namespace each is (or why none), the identities no container may use,
 * and the container's sysctls there as they are before ctnet first changes them.
 */
export async function runtimePaths(
  hostNetns: string | null,
  req: ObserveRequest,
  readKeys: ReadKeys,
): Promise<PathFacts> {
  const paths = req.netnsPaths ?? [];
  if (!paths.length) return {};
  const pathIdentity: Record<string, string> = {};
  const pathProblems: Record<string, PathProblem> = {};
  const pathSysctls: Record<string, Record<string, string>> = {};
  for (const p of paths) {
    const probe = probeNetnsPath(p);
    if ('problem' in probe) {
      pathProblems[p] = probe.problem;
      continue;
    }
    pathIdentity[p] = probe.identity;
    const keys = req.pathSysctls?.[p] ?? [];
    // a runtime that exits meanwhile takes its namespace along: nothing left to read
    if (keys.length) pathSysctls[p] = await readKeys(p, keys).catch(() => ({}));
  }
  return {
    pathIdentity,
    ...(Object.keys(pathProblems).length ? { pathProblems } : {}),
    reservedIdentity: reservedIdentities(hostNetns),
    ...(Object.keys(pathSysctls).length ? { pathSysctls } : {}),
  };
}
