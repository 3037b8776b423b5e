/**
 * Reads survive throttling and transient failures; writes are sent exactly once.
 */
import { mdrRequest } from '../../nodes/KasperskyMdr/transport/request';
import { CredentialStore, nodeContext } from '../harness/n8n';
import { recordSeen } from '../harness/secrets';
import { endpointCount, startTestSandbox, usedCredential, type Sandbox } from '../harness/sandbox';

let sandbox: Sandbox;
let store: CredentialStore;
let incidentId: string;

beforeAll(async () => {
	sandbox = await startTestSandbox({ config: { delayMs: 1500 } });
	store = await usedCredential(sandbox, 3600);
	const incidents = (await sandbox.control.listIncidents({
		fields: 'incident_id',
	} as never)) as Array<{
		incident_id: string;
	}>;
	incidentId = incidents[0].incident_id;
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(async () => {
	await sandbox.control.clearFaults();
	await sandbox.control.resetCounters();
});

const FAULTS = ['429', '429-retry-after', '429-retry-date', '500', '502', '503', '504', 'reset'];

async function readCount(timeoutMs?: number): Promise<number> {
	const answer = await mdrRequest<{ count: number }>(nodeContext(store), {
		path: 'incidents/count',
		body: {},
		kind: 'read',
		timeoutMs,
		retry: { budgetMs: 20_000, baseDelayMs: 50, maxDelayMs: 500 },
	});
	return answer.count;
}

async function writeComment(): Promise<unknown> {
	return await mdrRequest(nodeContext(store), {
		path: 'comments/create',
		body: { incident_id: incidentId, text: 'written once' },
		kind: 'write',
	});
}

describe('reads', () => {
	it.each(FAULTS)('are retried after %s and succeed', async (kind) => {
		await sandbox.control.setFaults({ script: [{ path: 'incidents/count', kind, times: 2 }] });

		expect(await readCount()).toBe(50);

		expect(await endpointCount(sandbox, 'incidents/count')).toMatchObject({
			received: 3,
			faulted: 2,
			performed: 1,
		});
	});

	it('are retried after a timeout', async () => {
		await sandbox.control.setFaults({ script: [{ path: 'incidents/count', kind: 'delay' }] });

		expect(await readCount(500)).toBe(50);

		expect((await endpointCount(sandbox, 'incidents/count')).received).toBe(2);
	});

	it('wait as long as Retry-After asks', async () => {
		await sandbox.control.setFaults({
			script: [{ path: 'incidents/count', kind: '429-retry-after', retryAfter: 1 }],
		});
		const started = Date.now();

		await readCount();

		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
	});

	it('stop when the retry budget is spent and say what MDR answered', async () => {
		await sandbox.control.setFaults({
			script: [{ path: 'incidents/count', kind: '503', times: 1000 }],
		});
		const started = Date.now();

		let message = '';
		try {
			await mdrRequest(nodeContext(store), {
				path: 'incidents/count',
				body: {},
				kind: 'read',
				retry: { budgetMs: 1_500, baseDelayMs: 100, maxDelayMs: 400 },
			});
		} catch (error) {
			recordSeen(error);
			message = (error as Error).message;
		}

		expect(message).toMatch(/^MDR answered 503 to incidents\/count/);
		expect(Date.now() - started).toBeLessThan(3_000);
		expect((await endpointCount(sandbox, 'incidents/count')).received).toBeGreaterThan(2);
	});
});

describe('writes', () => {
	it.each(FAULTS)('are sent once and fail clearly after %s', async (kind) => {
		await sandbox.control.setFaults({ script: [{ path: 'comments/create', kind }] });

		let failure: { message: string; description?: string } | undefined;
		try {
			await writeComment();
		} catch (error) {
			recordSeen(error);
			failure = error as { message: string; description?: string };
		}

		expect(failure?.message).toMatch(
			/^(MDR answered \d{3} to comments\/create|The connection to MDR failed during comments\/create)/,
		);
		expect(await endpointCount(sandbox, 'comments/create')).toMatchObject({
			received: 1,
			performed: 0,
		});
	});

	it('that MDR performed but never answered are not repeated, and the error says so', async () => {
		await sandbox.control.setFaults({ script: [{ path: 'comments/create', kind: 'drop-after' }] });

		let failure: { message: string; description?: string } | undefined;
		try {
			await writeComment();
		} catch (error) {
			recordSeen(error);
			failure = error as { message: string; description?: string };
		}

		expect(failure?.message).toBe(
			'The connection to MDR failed during comments/create (the connection was reset): MDR may or may not have applied this change',
		);
		expect(failure?.description).toContain('sent once and not repeated');
		expect(await endpointCount(sandbox, 'comments/create')).toMatchObject({
			received: 1,
			performed: 1,
		});
	});
});
