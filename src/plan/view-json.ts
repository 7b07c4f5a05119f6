import type { Action } from './types.js';
import { commandsOf, summarize } from './render.js';

/** `plan -o json`: the contract of SPEC §3, formatVersion 1, plus the typed key, operations and dependencies. */
export function planToJson(actions: readonly Action[], hostNetns: string | null): object {
  return {
    formatVersion: 1,
    changes: actions.map((a) => ({
      id: a.id,
      action: a.action,
      type: a.type,
      netns: a.netns,
      object: a.object,
      key: a.key,
      owner: a.owner ?? null,
      reason: a.reason,
      disruptive: a.disruptive,
      before: a.before ?? null,
      after: a.after ?? null,
      dependsOn: a.deps,
      operations: a.ops,
      commands: commandsOf(a, hostNetns),
    })),
    summary: summarize(actions),
  };
}
