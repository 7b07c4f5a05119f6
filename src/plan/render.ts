import type { NsRef } from '../model/kernel.js';
import { sysctlShell } from '../driver/sysctl.js';
import type { Action, Command } from './types.js';

/** The exact command line a plan command stands for, given which namespace plays the host. */
export function renderCommand(c: Command, hostNetns: string | null): string {
  const ns: NsRef | 'root' = c.ns === null ? hostNetns : c.ns;
  if ('ip' in c) {
    const nsArgs = ns === null || ns === 'root' ? '' : `-n ${ns} `;
    return `ip ${nsArgs}${c.ip.join(' ')}`;
  }
  const sh = `sh -c "${sysctlShell([c.sysctl])}"`;
  return ns === null || ns === 'root' ? sh : `ip netns exec ${ns} ${sh}`;
}

export interface Summary {
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly delete: number;
}

export function summarize(actions: readonly Action[]): Summary {
  const n = (k: Action['action']): number => actions.filter((a) => a.action === k).length;
  return { create: n('create'), update: n('update'), replace: n('replace'), delete: n('delete') };
}
