import { commandLine } from '../driver/iproute2-render.js';
import type { Action } from './types.js';

/** The command lines an action stands for, given which namespace plays the host. */
export const commandsOf = (a: Action, hostNetns: string | null): string[] =>
  a.ops.map((op) => commandLine(op, hostNetns));

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
