/** Jest runs the TypeScript sources through SWC (type checking is `tsc --noEmit`, run by `npm test`). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
  // Starting the app reads the FAQ's ten thousand examples and loads the trained networks: a few seconds
  // alone, several times that on a busy two-core CI machine, often inside a beforeAll.
  testTimeout: 60000,
  // Trains the real examples once into the run's cache of trained networks (test/support/nluCache.ts).
  globalSetup: '<rootDir>/test/support/globalSetup.ts',
};
