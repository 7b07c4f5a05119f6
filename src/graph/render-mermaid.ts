import { STATUSES, type GraphEdge, type GraphNode, type Line, type Status, type Topology } from './model.js';
import { DOTTED, KIND_FILL, STATUS_COLOR, STATUS_WORDS, edgeLabel, legendOf, titleOf } from './style.js';

/**
 * A mermaid flowchart, for markdown (a pull request, a wiki): the host as a subgraph, a node per
 * network, interface, container and VM. Mermaid has no rows a line can reach, so an edge to a
 * container's interface ends at the container; lines keep their marks (`+ `, `~ `, `- `) and a
 * node or edge its status's colour.
 */
export function renderMermaid(t: Topology): string {
  const ids = mermaidIds(t.nodes);
  const host = t.nodes.filter((n) => n.inHost);
  const out = t.nodes.filter((n) => !n.inHost);
  const hostTitle = ['host', ...t.hostLines.map((l) => l.text)].map(esc).join('<br/>');
  const lines = [
    '---',
    `title: ${JSON.stringify(titleOf(t))}`,
    '---',
    'flowchart LR',
    `  subgraph host["${hostTitle}"]`,
    ...host.map((n) => `    ${nodeText(n, ids)}`),
    '  end',
    ...out.map((n) => `  ${nodeText(n, ids)}`),
    ...t.edges.map((e) => `  ${edgeText(e, ids)}`),
    ...legend(legendOf(t)),
    ...classes(t, ids),
    ...edgeStyles(t.edges),
  ];
  return lines.join('\n') + '\n';
}

/** Mermaid ids: letters, digits and `_` only, unique (`ve-a` and `ve_a` do not meet). */
function mermaidIds(nodes: readonly GraphNode[]): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const n of nodes) {
    const base = n.id.replace(/[^A-Za-z0-9]/g, '_');
    let id = base;
    for (let i = 2; taken.has(id); i++) id = `${base}_${i}`;
    taken.add(id);
    out.set(n.id, id);
  }
  return out;
}

/** Text inside a quoted label: mermaid reads `"` as the end and `<`, `>` as markup. */
const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/"/g, '#quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const text = (l: Line): string => esc(l.text);

function nodeText(n: GraphNode, ids: Map<string, string>): string {
  const parts = [
    `<b>${esc(n.title)}</b>`,
    ...(n.subtitle ? [`<i>${esc(n.subtitle)}</i>`] : []),
    ...n.lines.map(text),
    ...n.rows.map((r) => `${esc(r.title)}${r.lines.length ? `: ${r.lines.map(text).join(', ')}` : ''}`),
  ];
  return `${ids.get(n.id)}["${parts.join('<br/>')}"]`;
}

function edgeText(e: GraphEdge, ids: Map<string, string>): string {
  const arrow = DOTTED.has(e.kind) ? '-.-' : '---';
  const label = edgeLabel(e);
  return `${ids.get(e.from)} ${arrow}${label ? `|"${esc(label)}"|` : ''} ${ids.get(e.to)}`;
}

function legend(statuses: readonly Status[]): string[] {
  if (!statuses.length) return [];
  return [
    '  subgraph legend["legend"]',
    ...statuses.map((s) => `    legend_${s}["${esc(STATUS_WORDS[s])}"]:::${s}`),
    '  end',
  ];
}

/** A class per kind (its fill) and per status (its border and text): each node is in one of each. */
function classes(t: Topology, ids: Map<string, string>): string[] {
  const members = (key: (n: GraphNode) => string): [string, string][] => {
    const by = new Map<string, string[]>();
    for (const n of t.nodes) by.set(key(n), [...(by.get(key(n)) ?? []), ids.get(n.id)!]);
    return [...by].map(([k, list]) => [k, list.join(',')]);
  };
  const statusDef = (s: Status): string =>
    `  classDef ${s} stroke:${STATUS_COLOR[s]},color:${STATUS_COLOR[s]}` +
    `${s === 'same' ? '' : ',stroke-width:2px'}${s === 'deleted' ? ',stroke-dasharray:5 3' : ''}`;
  return [
    ...[...new Set(t.nodes.map((n) => n.kind))].map((k) => `  classDef ${k} fill:${KIND_FILL[k]}`),
    ...STATUSES.filter((s) => legendOf(t).includes(s) || t.nodes.some((n) => n.status === s)).map(statusDef),
    ...members((n) => n.kind).map(([k, list]) => `  class ${list} ${k}`),
    ...members((n) => n.status).map(([s, list]) => `  class ${list} ${s}`),
  ];
}

/** Edges are styled by their index in the order they were written. */
function edgeStyles(edges: readonly GraphEdge[]): string[] {
  return edges.flatMap((e, i) =>
    e.status === 'same'
      ? []
      : [
          `  linkStyle ${i} stroke:${STATUS_COLOR[e.status]},stroke-width:2px${e.status === 'deleted' ? ',stroke-dasharray:5 3' : ''}`,
        ],
  );
}
