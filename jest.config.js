// @ts-check
/** Unit tests run alone; integration and e2e tests share one broker and a template database. */
// tsconfig's isolatedModules makes ts-jest transpile file by file (no type check: `npm run typecheck` does that).
const transform = { '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] };
const common = {
  transform,
  testEnvironment: 'node',
  // Workspace packages resolve to their TypeScript sources, not to dist/ (see package.json exports).
  testEnvironmentOptions: { customExportConditions: ['source', 'node', 'node-addons'] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/'],
  // Before each test file: the environment in-process gateways need (see the file).
  setupFiles: ['<rootDir>/test/setupEnv.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  // Integration tests start servers, brokers and databases; unit tests finish far sooner.
  testTimeout: 60_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/**/src/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '\\.int\\.test\\.ts$'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/**/src/**/*.int.test.ts', '<rootDir>/e2e/**/*.test.ts'],
      globalSetup: '<rootDir>/test/globalSetup.ts',
      globalTeardown: '<rootDir>/test/globalTeardown.ts',
    },
  ],
};
