// @ts-check
/** Unit tests run alone; integration and e2e tests share one broker and a template database. */
// tsconfig's isolatedModules makes ts-jest transpile file by file (no type check: `npm run typecheck` does that).
/**
 * ESM-only packages (jose 6; cookie 2, which fastify's inject loads). Node 24 loads them with
 * require(esm) in the services; jest's own module loader cannot, so under jest (only) their
 * files are transpiled to CommonJS.
 */
const ESM_ONLY = ['jose', 'cookie'];
const transform = {
  '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  [`/node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: [
    'ts-jest',
    { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', isolatedModules: true } },
  ],
};
const common = {
  transform,
  testEnvironment: 'node',
  // Workspace packages resolve to their TypeScript sources, not to dist/ (see package.json exports).
  testEnvironmentOptions: { customExportConditions: ['source', 'node', 'node-addons'] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/'],
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
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
