/** Jest runs the project as ESM (NestJS 12 is ESM-only), transformed by SWC with decorator metadata. */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];
/** Page views are TSX, rendered to strings by Preact (JSX that escapes by default). */
const swcTsx = [
  swc[0],
  {
    ...swc[1],
    jsc: {
      ...swc[1].jsc,
      parser: { syntax: 'typescript', tsx: true, decorators: true },
      transform: {
        ...swc[1].jsc.transform,
        react: { runtime: 'automatic', importSource: 'preact' },
      },
    },
  },
];

/**
 * ESM-only packages that CommonJS dependencies `require()`: Node 20.19+ allows that natively,
 * Jest's module runtime does not, so Jest compiles just these to CommonJS.
 * (@fastify/static, which serves /docs, requires content-disposition 3.)
 */
const ESM_ONLY = ['content-disposition'];
const toCommonJs = ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }];

const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  transform: {
    [`/node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: toCommonJs,
    '^.+\\.ts$': swc,
    '^.+\\.tsx$': swcTsx,
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};

export default {
  testTimeout: 60_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.{ts,tsx}'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
