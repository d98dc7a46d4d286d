// Preloaded into a child process (NODE_OPTIONS=--require): on exit, writes to standard error the
// packages the process loaded from node_modules, one line starting with "loaded packages:".
process.on('exit', () => {
  const packages = Object.keys(require.cache)
    .map((file) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1])
    .filter((name) => name !== undefined);
  process.stderr.write(`loaded packages: ${[...new Set(packages)].sort().join(' ')}\n`);
});
