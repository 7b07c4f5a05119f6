import { renderDot } from './render-dot.js';
import type { Topology } from './model.js';

/**
 * SVG, laid out in-process by Graphviz compiled to WebAssembly (@hpcc-js/wasm-graphviz): no `dot`
 * binary on the host. Loaded only by `graph -o svg`: the module is 2 MB.
 */
export async function renderSvg(t: Topology): Promise<string> {
  return svgOfDot(renderDot(t));
}

export async function svgOfDot(dot: string): Promise<string> {
  const { Graphviz } = await import('@hpcc-js/wasm-graphviz');
  const graphviz = await Graphviz.load();
  return graphviz.dot(dot, 'svg');
}
