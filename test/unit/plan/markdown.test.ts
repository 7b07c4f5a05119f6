import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { marked, type Tokens } from 'marked';
import { planToMarkdown } from '../../../src/plan/view-markdown.js';
import type { Action } from '../../../src/plan/types.js';

/**
 * `plan -o markdown`, read back by a real markdown parser (marked, GitHub-flavoured): the tables
 * are tables, each owner's section collapses, and no user value breaks out of its cell.
 */
const GOLDEN = resolve(import.meta.dirname, '../../golden');
// a plan from the golden cases, with the planner's JSON actions turned back into actions
const actionsOf = (c: string): Action[] =>
  JSON.parse(readFileSync(resolve(GOLDEN, c, 'plan.json'), 'utf8')).changes.map((x: Record<string, unknown>) => ({
    ...x,
    deps: x.dependsOn,
    ops: x.operations,
  }));

const tokens = (md: string) => marked.lexer(md);
const tables = (md: string) => tokens(md).filter((t): t is Tokens.Table => t.type === 'table');
const text = (c: Tokens.TableCell): string => c.text;

describe('the markdown view of a plan', () => {
  const actions = [...actionsOf('prune-network'), ...actionsOf('update-mtu')];
  const md = planToMarkdown(actions, { where: 'host netns h1', overrides: ['container/c1 eth0: +10.0.0.5'] });

  it('opens with a heading and a summary line that counts every action', () => {
    const [heading, , summary] = tokens(md);
    expect(heading).toMatchObject({ type: 'heading', text: 'ctnet plan for host netns h1' });
    const n = (k: string) => actions.filter((a) => a.action === k).length;
    expect((summary as Tokens.Paragraph).text).toContain(`${n('create')} to create, ${n('update')} to update`);
    expect((summary as Tokens.Paragraph).text).toContain(`${n('delete')} to delete`);
  });

  it('has a table of counts by kind and action that adds up to the plan', () => {
    const [counts] = tables(md);
    expect(counts.header.map(text)).toEqual(['kind', 'create', 'update', 'replace', 'delete']);
    const total = counts.rows.flatMap((r) => r.slice(1).map((c) => Number(c.text))).reduce((x, y) => x + y, 0);
    expect(total).toBe(actions.length);
    for (const r of counts.rows) expect(actions.some((a) => a.type === r[0].text)).toBe(true);
  });

  it('lists the disruptive changes first, marked, then one collapsible section per owner', () => {
    const [, disruptive] = tables(md);
    expect(disruptive.rows.length).toBe(actions.filter((a) => a.disruptive).length);
    for (const r of disruptive.rows) expect(r[0].text).toMatch(/^⚠️ (delete|replace)/);
    const owners = new Set(actions.map((a) => a.owner ?? 'ctnet-owned, no longer in any manifest'));
    const summaries = tokens(md)
      .filter((t) => t.type === 'html' && t.raw.startsWith('<details>'))
      .map((t) => /<summary>(.*?):/.exec(t.raw)![1]);
    expect(summaries.sort()).toEqual([...owners].sort());
    // each section: its own table, one row per action of that owner
    expect(
      tables(md)
        .slice(2)
        .reduce((n, t) => n + t.rows.length, 0),
    ).toBe(actions.length);
    expect(md).toContain('#### Runtime overrides');
  });

  it('keeps user values inside their cells', () => {
    const odd = { ...actions[0], reason: 'a | b *c* <script>', object: 'link x|y' };
    const own = tables(planToMarkdown([odd])).at(-1)!;
    expect(own.rows[0].map(text)).toHaveLength(4);
    expect(own.rows[0][3].text).toBe('a | b \\*c\\* \\<script\\>');
    expect(marked.parse(planToMarkdown([odd]))).not.toContain('<script>');
  });

  it('says when there is nothing to do, and shows what the planner refused', () => {
    expect(planToMarkdown([])).toContain('**No changes.**');
    const refused = planToMarkdown([], { conflicts: [{ owner: 'container/web', message: 'link "br-lan" exists' }] });
    expect(tokens(refused).some((t) => t.type === 'list' && t.raw.includes('container/web'))).toBe(true);
  });
});
