import type { GraphEdge, GraphNode, Line, Row, Status, Topology } from './model.js';
import { DOTTED, KIND_FILL, STATUS_COLOR, STATUS_WORDS, edgeLabel, legendOf, titleOf } from './style.js';

/**
 * Graphviz dot, left to right: the NICs of the outside world, then the host's networks and the
 * host ends of its guests (in the host's cluster), then the containers and VMs. Every node is an
 * HTML-like table, so a line (an address, a change) has its own colour and a container's
 * interfaces are rows that edges reach.
 */
export function renderDot(t: Topology): string {
  const host = t.nodes.filter((n) => n.inHost);
  const out = t.nodes.filter((n) => !n.inHost);
  return [
    'digraph ctnet {',
    `  graph [rankdir=LR, fontname="Helvetica", fontsize=14, labelloc=t, newrank=true, nodesep=0.2, ranksep=0.7, label=${q(titleOf(t))}];`,
    '  node [shape=plain, fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=9, arrowhead=none];',
    '  subgraph cluster_host {',
    `    id="cluster-host"; style="rounded"; color="#90a4ae"; fontsize=12; label=<${hostLabel(t.hostLines)}>;`,
    ...host.map((n) => `    ${nodeText(n)}`),
    '  }',
    ...out.map((n) => `  ${nodeText(n)}`),
    ...t.edges.map((e) => `  ${edgeText(e)}`),
    ...columns(t.nodes),
    ...legend(legendOf(t)),
    '}',
    '',
  ].join('\n');
}

/** A dot string, quoted. */
const q = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** Text inside an HTML-like label. */
const h = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const font = (text: string, status: Status): string => `<FONT COLOR="${STATUS_COLOR[status]}">${h(text)}</FONT>`;

const lineCell = (l: Line): string => `<TR><TD ALIGN="LEFT">${font(l.text, l.status)}</TD></TR>`;

function hostLabel(lines: readonly Line[]): string {
  const rows = lines.map(
    (l) => `<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="10">${font(l.text, l.status)}</FONT></TD></TR>`,
  );
  return `<TABLE BORDER="0" CELLSPACING="0"><TR><TD><B>host</B></TD></TR>${rows.join('')}</TABLE>`;
}

const rowCell = (r: Row): string => {
  const text = [`<B>${font(r.title, r.status)}</B>`, ...r.lines.map((l) => font(l.text, l.status))].join(
    '<BR ALIGN="LEFT"/>',
  );
  return `<TR><TD PORT=${q(r.port)} ALIGN="LEFT" BALIGN="LEFT" BORDER="1" SIDES="T" COLOR="#b0bec5">${text}<BR ALIGN="LEFT"/></TD></TR>`;
};

function nodeText(n: GraphNode): string {
  const style = n.status === 'deleted' ? 'rounded,dashed' : 'rounded';
  const width = n.status === 'same' ? 1 : 2;
  const head = `<TR><TD><B>${font(n.title, n.status)}</B></TD></TR>`;
  const sub = n.subtitle ? `<TR><TD><FONT POINT-SIZE="9" COLOR="#546e7a">${h(n.subtitle)}</FONT></TD></TR>` : '';
  const label =
    `<TABLE BORDER="${width}" CELLBORDER="0" CELLSPACING="0" CELLPADDING="4" STYLE="${style}" ` +
    `BGCOLOR="${KIND_FILL[n.kind]}" COLOR="${STATUS_COLOR[n.status]}">` +
    `${head}${sub}${n.lines.map(lineCell).join('')}${n.rows.map(rowCell).join('')}</TABLE>`;
  return `${q(n.id)} [id=${q(n.id)}, label=<${label}>];`;
}

function edgeText(e: GraphEdge): string {
  const to = e.toPort ? `${q(e.to)}:${q(e.toPort)}:w` : q(e.to);
  const styles = [DOTTED.has(e.kind) ? 'dotted' : '', e.status === 'deleted' ? 'dashed' : ''].filter(Boolean);
  const attrs = [
    `color=${q(e.status === 'same' ? '#78909c' : STATUS_COLOR[e.status])}`,
    ...(e.status === 'same' ? [] : ['penwidth=2']),
    ...(styles.length ? [`style=${q(styles.at(-1)!)}`] : []),
    ...(edgeLabel(e) ? [`label=${q(edgeLabel(e)!)}`, `fontcolor=${q(STATUS_COLOR[e.status])}`] : []),
  ];
  return `${q(e.from)} -> ${to} [${attrs.join(', ')}];`;
}

/**
 * Four columns, whatever the edges: NICs, networks, host ends (and containers in the host's
 * stack), guests. Without them a host-only bridge (nothing leads to it) starts at the left and
 * pulls its guests into the host's cluster's middle.
 */
function columns(nodes: readonly GraphNode[]): string[] {
  const col = (n: GraphNode): number =>
    n.kind === 'nic' || n.kind === 'device'
      ? 0
      : n.kind === 'network' || n.kind === 'bridge' || n.kind === 'loopback'
        ? 1
        : n.kind === 'veth' || n.kind === 'tap' || n.inHost
          ? 2
          : 3;
  return [0, 1, 2, 3]
    .map((c) => nodes.filter((n) => col(n) === c).map((n) => q(n.id)))
    .filter((ids) => ids.length)
    .map((ids) => `  { rank=same; ${ids.join('; ')}; }`);
}

function legend(statuses: readonly Status[]): string[] {
  if (!statuses.length) return [];
  const cells = statuses.map(
    (s) => `<TD BORDER="2" COLOR="${STATUS_COLOR[s]}" STYLE="rounded">${font(STATUS_WORDS[s], s)}</TD>`,
  );
  const label = `<TABLE BORDER="0" CELLSPACING="4"><TR><TD><B>legend</B></TD>${cells.join('')}</TR></TABLE>`;
  return [`  "legend" [id="legend", label=<${label}>];`];
}
