// Preloaded into a measured process (node -r): samples its RSS every 20 ms and reports the peak on stderr
// at exit. Unlike maxRSS (getrusage), it does not inherit the parent's high-water mark across fork+exec,
// which would report the benchmark's own memory as the child's.
let peak = process.memoryUsage.rss();
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 20);
timer.unref();
process.on('exit', () => {
  peak = Math.max(peak, process.memoryUsage.rss());
  process.stderr.write(`\nBENCH_PEAK_RSS_KB=${Math.round(peak / 1024)}\n`);
});
