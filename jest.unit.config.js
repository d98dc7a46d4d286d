/**
 * The fast loop (`npm run test:unit`): the pure core, and the monitor and the CLI through
 * in-process ports (memory, aws-sdk-client-mock). No build, no bundle, no child process, no synth,
 * no simulated year: what ships is proven by `npm test`, which runs these too.
 * @type {import('jest').Config}
 */
module.exports = {
  ...require('./jest.config.js'),
  globalSetup: undefined,
  roots: ['<rootDir>/test/core', '<rootDir>/test/monitor', '<rootDir>/test/slack', '<rootDir>/test/cli'],
  testPathIgnorePatterns: [
    // These start the built bin as a child process.
    '/test/cli/(adopted|bin|bin-errors|deployment|doctor|readme|startup|store-token|terminal)\\.test\\.ts$',
    // A year of runs against the stand-in AWS over HTTP (about 14 s here).
    '/test/monitor/simulation\\.test\\.ts$',
  ],
};
