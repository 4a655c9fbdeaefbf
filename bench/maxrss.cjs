// Preloaded into a measured process (node -r): reports its peak RSS on stderr's last line at exit.
process.on('exit', () => {
  process.stderr.write(`\nBENCH_MAX_RSS_KB=${process.resourceUsage().maxRSS}\n`);
});
