/**
 * End-to-end suite: the packed package inside real n8n installs (1.123 on Node 20, 2.41 on Node 24),
 * driven through n8n's CLI, its REST API and a real browser, against the MDR sandbox. See docs/e2e.md.
 */
module.exports = {
	testEnvironment: 'node',
	testMatch: ['<rootDir>/e2e/**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { diagnostics: false }],
	},
	globalSetup: '<rootDir>/e2e/support/global-setup.js',
	globalTeardown: '<rootDir>/e2e/support/global-teardown.js',
	testTimeout: 600_000,
	maxWorkers: 1,
	verbose: true,
};
