import { writeFileSync } from 'node:fs';

/**
 * Preloaded into each ctnet process the bench starts (`node --import rss-probe.js bin/ctnet.js`),
 * so the product stays unchanged: at exit it writes the process's peak RSS (KB, from
 * getrusage) to the file named by CTNET_BENCH_RSS_FILE.
 */
const file = process.env.CTNET_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    try {
      writeFileSync(file, String(process.resourceUsage().maxRSS));
    } catch {
      // a probe must never change how ctnet exits
    }
  });
}
