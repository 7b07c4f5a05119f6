#!/usr/bin/env node
// Bundles the built CLI (dist/cli/main.js, after tsc) into dist/bundle/ctnet.mjs, which
// bin/ctnet.js loads when present: a few files to read and compile instead of ~300 modules, which
// cuts a `ctnet` call's start-up. Split into chunks at the CLI's lazy imports: one file with every
// command in it was slower than the modules (--version 1.5x), as it compiled and ran them all. The bundle sits two folders below the package root, as every
// dist/<dir>/<file>.js does, so their paths relative to the module (../../package.json,
// ../../schemas/, ../../bin/ctnet.js) hold inside it too.
import { build } from 'esbuild';

await build({
  entryPoints: { ctnet: 'dist/cli/main.js' },
  outdir: 'dist/bundle',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  chunkNames: 'chunk-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // koffi is native; Graphviz is megabytes of WebAssembly that only `graph -o svg` needs; pino
  // starts its transports from files of its own; prom-client and chokidar only `watch` needs:
  // all load from node_modules, when a command asks for them
  external: ['koffi', '@hpcc-js/wasm-graphviz', 'pino', 'prom-client', 'chokidar'],
  // the CommonJS packages inside (commander) require node's builtins
  banner: {
    js: "import { createRequire as __ctnetCreateRequire } from 'node:module';\nconst require = __ctnetCreateRequire(import.meta.url);",
  },
});
