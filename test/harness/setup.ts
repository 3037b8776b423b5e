import { format } from 'util';

import { flushHygieneRecord, recordSeen } from './secrets';

// n8n's logger writes node errors to the console. Those lines are part of what the secret-hygiene
// check inspects, and they would only repeat what each test asserts, so they are recorded, not shown.
for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
	console[method] = (...args: unknown[]) => recordSeen(format(...args));
}

afterAll(() => {
	flushHygieneRecord();
});
