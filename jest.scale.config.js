/**
 * Scale-out suite: the packed package in real n8n in queue mode (Redis, one main, three workers)
 * against the MDR sandbox: parallel executions with an expired token, a worker killed in the middle
 * of a refresh, and the trigger on main while workers run actions. See docs/scale.md.
 */
module.exports = {
	testEnvironment: 'node',
	testMatch: ['<rootDir>/scale/**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { diagnostics: false }],
	},
	globalSetup: '<rootDir>/scale/support/global-setup.js',
	globalTeardown: '<rootDir>/scale/support/global-teardown.js',
	testTimeout: 600_000,
	maxWorkers: 1,
	verbose: true,
};
