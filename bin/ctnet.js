#!/usr/bin/env node
import { statSync } from 'node:fs';

// the bundle `npm run build` makes loads in a few files instead of ~300 modules; the modules of
// dist/ when it is missing or older than they are (a tree rebuilt by tsc alone)
const bundle = new URL('../dist/bundle/ctnet.mjs', import.meta.url);
const modules = new URL('../dist/cli/main.js', import.meta.url);
const mtime = (u) => statSync(u, { throwIfNoEntry: false })?.mtimeMs ?? -1;
const { main } = await import(mtime(bundle) >= mtime(modules) ? bundle.href : modules.href);

process.exitCode = await main(process.argv.slice(2));
