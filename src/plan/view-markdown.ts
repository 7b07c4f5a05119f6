import type { Action, Conflict } from './types.js';
import { summarize } from './render.js';
import { append } from '../model/multimap.js';

/** What the markdown view shows beside the actions: runtime overrides and the planner's refusals. */
export interface MarkdownExtras {
  readonly overrides?: readonly string[];
  readonly conflicts?: readonly Conflict[];
  /** Where the plan applies, for the heading (`host netns ns1`, a host name). */
  readonly where?: string;
}

const ACTIONS: readonly Action['action'][] = ['create', 'update', 'replace', 'delete'];
const NO_OWNER = 'ctnet-owned, no longer in any manifest';

/** Plain text anywhere in markdown (a table cell too): every character markdown could read is escaped. */
const cell = (s: string): string => s.replace(/[\\`*_{}[\]<>#+!|~]/g, (c) => `\\${c}`).replaceAll('\n', ' ');
/** Inline code that holds any text: a backtick inside needs a longer fence. */
const code = (t: string): string => {
  // GitHub's tables split a row at `|` even inside code: escaped, it stays in the code
  const s = t.replaceAll('|', '\\|');
  return s.includes('`') ? `\`\` ${s} \`\`` : `\`${s}\``;
};
/** Text inside HTML (`<summary>`): markdown is not read there, so only HTML's own characters matter. */
const html = (s: string): string => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

const where = (a: Action): string => (a.type === 'netns' ? '' : a.netns === null ? 'host' : a.netns);
const row = (a: Action): string =>
  `| ${a.disruptive ? '⚠️ ' : ''}${a.action} | ${code(a.object)} | ${cell(where(a))} | ${cell(a.reason)} |`;
const TABLE_HEAD = ['| action | object | namespace | reason |', '|---|---|---|---|'];

/** Counts by kind of object and action, every kind that changes, in plan order. */
function countTable(actions: readonly Action[]): string[] {
  const byType = new Map<string, Record<string, number>>();
  for (const a of actions) {
    const counts = byType.get(a.type) ?? Object.fromEntries(ACTIONS.map((x) => [x, 0]));
    counts[a.action]++;
    byType.set(a.type, counts);
  }
  const rows = [...byType].map(([type, c]) => `| ${type} | ${ACTIONS.map((x) => c[x]).join(' | ')} |`);
  return [`| kind | ${ACTIONS.join(' | ')} |`, `|---|${ACTIONS.map(() => '---:').join('|')}|`, ...rows];
}

/**
 * A plan for a pull request (GitHub-flavoured markdown): a summary line, counts by kind and
 * action, the disruptive changes first, then one collapsible section per owner, and the runtime
 * overrides and refusals. Every user value is escaped for where it lands.
 */
export function planToMarkdown(actions: readonly Action[], extras: MarkdownExtras = {}): string {
  const s = summarize(actions);
  const disruptive = actions.filter((a) => a.disruptive);
  const title = `### ctnet plan${extras.where ? ` for ${cell(extras.where)}` : ''}`;
  const summary = actions.length
    ? `**${s.create} to create, ${s.update} to update, ${s.replace} to replace, ${s.delete} to delete**` +
      (disruptive.length ? ` (${disruptive.length} disruptive)` : '')
    : '**No changes.** The kernel matches the manifests.';
  const out = [title, '', summary, ''];
  if (actions.length) out.push(...countTable(actions), '');
  if (disruptive.length) out.push('#### ⚠️ Disruptive changes', '', ...TABLE_HEAD, ...disruptive.map(row), '');
  const groups = new Map<string, Action[]>();
  for (const a of actions) append(groups, a.owner ?? NO_OWNER, a);
  for (const [owner, list] of groups) {
    const n = list.filter((a) => a.disruptive).length;
    const label = `${owner}: ${list.length} change${list.length === 1 ? '' : 's'}${n ? `, ${n} disruptive` : ''}`;
    out.push(
      '<details>',
      `<summary>${html(label)}</summary>`,
      '',
      ...TABLE_HEAD,
      ...list.map(row),
      '',
      '</details>',
      '',
    );
  }
  if (extras.overrides?.length)
    out.push('#### Runtime overrides', '', ...extras.overrides.map((o) => `- ${code(o)}`), '');
  if (extras.conflicts?.length)
    out.push(
      '#### ❌ Refused',
      '',
      ...extras.conflicts.map((c) => `- ${c.owner ? `${code(c.owner)}: ` : ''}${cell(c.message)}`),
      '',
    );
  return out.join('\n');
}
