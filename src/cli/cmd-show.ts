import { readSavedPlan } from '../engine/saved-plan.js';
import { planToJson } from '../plan/view-json.js';
import { planToScript } from '../plan/view-script.js';
import { planToText } from '../plan/view-text.js';
import { planToMarkdown } from '../plan/view-markdown.js';
import { json, printErrors, say, type GlobalOpts } from './output.js';

const FORMATS = ['text', 'json', 'script', 'markdown'];

/** `ctnet show FILE`: a plan saved by `plan --out`, in any of plan's output formats; reads nothing else. */
export function cmdShow(g: GlobalOpts, file: string, o: { output?: string }): number {
  const fmt = o.output ?? (g.json ? 'json' : 'text');
  if (!FORMATS.includes(fmt))
    return printErrors([{ code: 'invalid', message: `-o must be ${FORMATS.join(', ')}, not "${fmt}"` }]);
  const s = readSavedPlan(file);
  if (!s)
    return printErrors([
      { code: 'invalid', file, line: 1, column: 1, message: 'not a plan saved by ctnet plan --out' },
    ]);
  if ('code' in s) return printErrors([s]);
  const actions = s.plan.actions;
  if (fmt === 'json') json({ ...planToJson(actions, s.hostNetns), savedAt: s.createdAt, manifests: s.manifests.files });
  else if (fmt === 'script') say(g, planToScript(actions, s.hostNetns));
  else if (fmt === 'markdown') {
    const where = s.hostNetns === null ? undefined : `host netns ${s.hostNetns}`;
    say(g, planToMarkdown(actions, { where, conflicts: s.plan.conflicts }));
  } else {
    const host = s.hostNetns === null ? 'the host' : `host netns ${s.hostNetns}`;
    say(g, `Plan saved ${s.createdAt} by ctnet ${s.ctnetVersion} for ${host}, from ${s.manifests.files.join(', ')}\n`);
    say(g, planToText(actions, g.color));
  }
  return 0;
}
