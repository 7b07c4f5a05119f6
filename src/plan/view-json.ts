import type { Action } from './types.js';
import { renderCommand, summarize } from './render.js';

/** `plan -o json`: the contract of SPEC §3, formatVersion 1. */
export function planToJson(actions: readonly Action[], hostNetns: string | null): object {
  return {
    formatVersion: 1,
    changes: actions.map((a) => ({
      action: a.action,
      type: a.type,
      netns: a.netns,
      object: a.object,
      owner: a.owner ?? null,
      reason: a.reason,
      disruptive: a.disruptive,
      before: a.before ?? null,
      after: a.after ?? null,
      commands: a.commands.map((c) => renderCommand(c, hostNetns)),
    })),
    summary: summarize(actions),
  };
}
