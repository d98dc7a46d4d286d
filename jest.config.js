/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Type checking is `npm run lint` (tsc --noEmit); tests only transpile, which keeps them fast.
  transform: { '^.+\\.ts$': 'ts-jest' },
  setupFiles: ['<rootDir>/test/support/setup-env.ts'],
  // Compiles dist/ once: the CLI and the package are tested as they ship.
  globalSetup: '<rootDir>/test/support/build.ts',
  setupFilesAfterEnv: ['aws-sdk-client-mock-jest'],
  // End-to-end tests start the bin and the stand-in AWS as child processes: generous on 2 cores.
  testTimeout: 60_000,
  // Two workers on a two-core machine: synthesis (CPU) and child processes (waiting) overlap.
  maxWorkers: 2,
};
