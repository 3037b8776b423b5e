/** Every test talks real HTTP to the local MDR sandbox; see README "Tests". */
module.exports = {
	testEnvironment: 'node',
	testMatch: ['<rootDir>/test/**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { diagnostics: false }],
	},
	setupFilesAfterEnv: ['<rootDir>/test/harness/setup.ts'],
	globalSetup: '<rootDir>/test/harness/hygiene-setup.js',
	globalTeardown: '<rootDir>/test/harness/hygiene-teardown.js',
	testTimeout: 120_000,
	maxWorkers: 2,
};
