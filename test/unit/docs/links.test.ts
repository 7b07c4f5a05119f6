import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * Every link in README.md and docs/*.md resolves inside the repository: the file or directory
 * exists, and an `#anchor` names a heading of the page it points to (as GitHub makes heading ids).
 * Nothing may point outside the repository, so a link with a scheme or an absolute path fails too.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const PAGES = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** The prose of a page: fenced code blocks and inline code spans hold no links. */
const prose = (text: string): string => text.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');

/** GitHub's id for a heading: its text without markup, lower case, punctuation dropped, spaces as dashes. */
export function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*_]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replaceAll(' ', '-');
}

/** The ids of a page's headings; a repeated one gets -1, -2, ... as on GitHub. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of text.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const base = slug(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

/** Why a link from `page` does not resolve, or undefined when it does. */
function problem(page: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('/')) return 'points outside the repository';
  const hash = target.indexOf('#');
  const path = hash < 0 ? target : target.slice(0, hash);
  const anchor = hash < 0 ? undefined : target.slice(hash + 1);
  const file = path ? resolve(ROOT, dirname(page), decodeURIComponent(path)) : join(ROOT, page);
  if (relative(ROOT, file).startsWith('..')) return 'points outside the repository';
  if (!existsSync(file)) return 'no such file or directory';
  if (anchor === undefined) return undefined;
  if (statSync(file).isDirectory() || !file.endsWith('.md')) return 'an anchor on a page that is not Markdown';
  return anchors(readFileSync(file, 'utf8')).has(anchor) ? undefined : `no heading #${anchor}`;
}

describe('links in README.md and docs/', () => {
  it('make GitHub heading ids', () => {
    expect(slug('A five-minute tour')).toBe('a-five-minute-tour');
    expect(slug('`spec.interfaces[].mac`')).toBe('specinterfacesmac');
    expect(slug('Running `ctnet watch`')).toBe('running-ctnet-watch');
    expect(slug('Adding a kind: a worked example')).toBe('adding-a-kind-a-worked-example');
  });

  it('resolve: every file exists and every #anchor names a heading', () => {
    const broken: string[] = [];
    let links = 0;
    for (const page of PAGES) {
      for (const m of prose(readFileSync(join(ROOT, page), 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)) {
        links++;
        const why = problem(page, m[1]);
        if (why) broken.push(`${page}: ${m[1]}: ${why}`);
      }
    }
    expect(broken).toEqual([]);
    expect(links).toBeGreaterThan(30);
  });
});
