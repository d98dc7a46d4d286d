#!/usr/bin/env node
// The operator CLI. It runs the TypeScript sources through tsx (installed by `npm ci`), so the
// CLI always runs the same code the tests exercise.
require('tsx/cjs');
const { main } = require('../cli/main.ts');

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
