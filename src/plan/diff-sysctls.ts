import { sysctl } from './commands.js';
import type { PlanContext } from './context.js';

/**
 * Host sysctls: set what the manifests ask for, remembering the value found the first time;
 * put recorded values back once nothing asks for them (that is how destroy restores the host).
 */
export function diffSysctls(ctx: PlanContext): Record<string, string> {
  const recorded: Record<string, string> = { ...ctx.inventory.sysctls };
  const have = ctx.observed.host.sysctls;
  const want = new Map(ctx.desired.host.sysctls.map((s) => [s.obj.key, s]));
  for (const [key, d] of [...want].sort(([a], [b]) => a.localeCompare(b))) {
    const now = have[key];
    if (now === d.obj.value) continue;
    if (now !== undefined && !(key in recorded)) recorded[key] = now;
    ctx.add({ action: 'update', type: 'sysctl', netns: null, object: `sysctl ${key}`, owner: d.owner, before: now, after: d.obj.value,
      reason: `${d.owner} needs ${key}=${d.obj.value}`, disruptive: false, commands: [sysctl(null, key, d.obj.value)] });
  }
  for (const key of Object.keys(recorded).sort()) {
    if (want.has(key)) continue;
    // a partial destroy leaves host sysctls alone: what remains may still need them
    if (ctx.options.scope) continue;
    const original = recorded[key];
    delete recorded[key];
    if (have[key] === original) continue;
    ctx.add({ action: 'delete', type: 'sysctl', netns: null, object: `sysctl ${key}`, before: have[key], after: original,
      reason: `no longer needed: restore the value ${original} found before ctnet changed it`, disruptive: false, commands: [sysctl(null, key, original)] });
  }
  return recorded;
}
