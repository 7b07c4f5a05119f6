import type { NsRef } from '../model/kernel.js';
import type { Batch } from '../driver/types.js';
import type { Action, Command } from '../plan/types.js';

/**
 * A plan's commands → execution phases → one batch per namespace per phase. A command's phase
 * comes from where it runs: namespace creation in the root namespace first, then the host, then
 * containers; deletions the other way round. Within a batch, plan order is kept.
 */
function phaseOfCommand(a: Action, c: Command): number {
  const del = a.action === 'delete';
  if (c.ns === 'root') return del ? 5 : 0;
  if (c.ns === null) return del ? 4 : 1;
  return del ? 3 : 2;
}

const nsKey = (ns: NsRef | 'root'): string => (ns === null ? '\u0000host' : ns === 'root' ? '\u0000root' : ns);

export function toPhases(actions: readonly Action[]): Batch[][] {
  const phases: Map<string, { ns: NsRef | 'root'; lines: string[]; sysctls: { key: string; value: string }[] }>[] =
    Array.from({ length: 6 }, () => new Map());
  for (const a of actions) {
    for (const c of a.commands) {
      const phase = phases[phaseOfCommand(a, c)];
      const k = nsKey(c.ns);
      const slot = phase.get(k) ?? { ns: c.ns, lines: [], sysctls: [] };
      phase.set(k, slot);
      if ('ip' in c) slot.lines.push(c.ip.join(' '));
      else slot.sysctls.push(c.sysctl);
    }
  }
  return phases
    .map((p) =>
      [...p.values()].flatMap((s): Batch[] => [
        ...(s.lines.length ? [{ ns: s.ns, lines: s.lines }] : []),
        ...(s.sysctls.length && s.ns !== 'root' ? [{ ns: s.ns, sysctls: s.sysctls }] : []),
      ]),
    )
    .filter((p) => p.length > 0);
}

export const commandCount = (actions: readonly Action[]): number => actions.reduce((n, a) => n + a.commands.length, 0);
