/**
 * Bursts and failures: more changes than a page, than a poll's cap and than MDR's search window,
 * and MDR failing beyond the retry budget mid-burst. Whatever happens, every change is delivered
 * exactly once, oldest first, over the following polls.
 */
import { startTestSandbox, endpointCount, type Sandbox } from '../harness/sandbox';
import { recordSeen } from '../harness/secrets';
import {
	advance,
	clone,
	control,
	createIncident,
	drain,
	eventIds,
	resetAt,
	triggerWorkflow,
	type Incident,
} from './timeline';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startTestSandbox();
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(async () => {
	await resetAt(sandbox, Date.now() - (Date.now() % 1000));
	await sandbox.control.clearFaults();
});

/** `count` new incidents, one per millisecond with some sharing one; their expected eventIds. */
async function burst(count: number): Promise<string[]> {
	const created: Incident[] = [];
	for (let i = 0; i < count; i++) {
		if (i % 7 !== 0) await advance(sandbox, 1);
		created.push(await createIncident(sandbox));
	}
	return created
		.sort((a, b) => a.creation_time - b.creation_time || (a.incident_id < b.incident_id ? -1 : 1))
		.map((incident) => `incident:${incident.incident_id}:created`);
}

describe('a burst of 2,500 changes', () => {
	it('is paged, capped at 500 per poll and continued by the next polls, each change once', async () => {
		const workflow = await triggerWorkflow(sandbox, { events: ['newIncident'] });
		await workflow.poll();
		await advance(sandbox, 1_000);
		const expected = await burst(2_500);

		const polls = await drain(workflow);

		expect(polls.map((ids) => ids.length)).toEqual([500, 500, 500, 500, 500]);
		expect(polls.flat()).toEqual(expected);
	});

	it.each(['error', 'empty'])(
		'continues past a search window that answers %s, each change once',
		async (windowBehavior) => {
			await sandbox.control.setConfig({ resultWindow: 1_500, windowBehavior });
			const workflow = await triggerWorkflow(sandbox, {
				events: ['newIncident'],
				options: { maxEventsPerPoll: 1_000 },
			});
			await workflow.poll();
			await advance(sandbox, 1_000);
			const expected = await burst(2_500);

			const polls = await drain(workflow);

			expect(polls.map((ids) => ids.length)).toEqual([1_000, 1_000, 500]);
			expect(polls.flat()).toEqual(expected);
		},
	);
});

describe('MDR failing beyond the retry budget', () => {
	it('mid-burst: delivers what is complete, then the rest next poll, nothing twice', async () => {
		const workflow = await triggerWorkflow(sandbox, {
			events: ['newIncident'],
			options: { maxEventsPerPoll: 1_000, retryBudgetSeconds: 0.3 },
		});
		await workflow.poll();
		await advance(sandbox, 1_000);
		const expected = await burst(1_500);
		// The first page is served (after a short delay), every later page fails with 503.
		await sandbox.control.setFaults({
			script: [
				{ kind: 'delay', path: 'incidents/list', delayMs: 1 },
				{ kind: '503', path: 'incidents/list', times: 1_000 },
			],
		});

		const partial = eventIds(await workflow.poll());
		const faulted = (await endpointCount(sandbox, 'incidents/list')).faulted;
		await sandbox.control.clearFaults();
		const rest = await drain(workflow);

		// The first page also holds the incident the baseline saw last, so it brings 999 new ones.
		expect(partial).toEqual(expected.slice(0, 999));
		expect(faulted).toBeGreaterThan(2);
		expect(rest.flat()).toEqual(expected.slice(999));
	});

	it('before anything is complete: fails the poll, keeps the saved state, delivers all later', async () => {
		const workflow = await triggerWorkflow(sandbox, {
			events: ['newIncident'],
			options: { retryBudgetSeconds: 0.3 },
		});
		await workflow.poll();
		await advance(sandbox, 1_000);
		const expected = await burst(3);
		const saved = clone(workflow.staticData);
		await sandbox.control.setFaults({
			script: [{ kind: '429-retry-after', path: 'incidents/list', retryAfter: 30 }],
		});

		const failure = await workflow.poll().then(
			() => undefined,
			(error: Error) => error,
		);
		recordSeen(failure);

		expect(failure?.message).toMatch(/429/);
		expect(workflow.staticData).toEqual(saved);
		expect((await drain(workflow)).flat()).toEqual(expected);
	});
});

describe('authentication failure', () => {
	it('fails the poll loudly and advances nothing', async () => {
		const workflow = await triggerWorkflow(sandbox);
		await workflow.poll();
		await advance(sandbox, 1_000);
		await createIncident(sandbox);
		const saved = clone(workflow.staticData);
		await sandbox.control.revokeTokens({ allAccess: true, allRefresh: true });

		const failure = await workflow.poll().then(
			() => undefined,
			(error: Error) => error,
		);
		recordSeen(failure);

		expect(failure).toBeDefined();
		expect(failure!.message).not.toMatch(/^MDR answered 5|429/);
		expect(workflow.staticData).toEqual(saved);
		expect(control(sandbox)).toBeDefined();
	});
});
