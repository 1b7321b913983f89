/**
 * Jest runs in native ESM mode (Nest 12 ships ESM only), compiling TypeScript with ts-jest.
 * Type-checking is done once by `npm run typecheck`, so ts-jest only transpiles.
 */
const transform = {
  '^.+\\.ts$': ['ts-jest', { useESM: true }],
};
const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  transform,
  moduleNameMapper: {
    '^nest-api-errors$': '<rootDir>/lib/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // Jest's module runtime cannot require() an ES module, as Node does from 22.12: the
    // @fastify/static that serves Swagger UI on Fastify requires content-disposition 3, which is
    // ESM only. The CommonJS 2.x beside it (Express') has the same `create`.
    '^content-disposition$': '<rootDir>/node_modules/content-disposition/dist/index.js',
  },
  testEnvironment: 'node',
  // Both tiers have tests against a real Redis: the setup finds one or starts one (redis-server.js).
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
};

export default {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/lib/**/*.spec.ts'],
      globalSetup: '<rootDir>/test/support/redis-server.js',
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.js',
      setupFilesAfterEnv: [
        '<rootDir>/test/support/e2e-timeout.ts',
        // Every status a sample app answers must be one its OpenAPI document lists.
        '<rootDir>/test/support/undocumented-answers.ts',
      ],
    },
  ],
};
