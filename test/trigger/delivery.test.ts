/**
 * The trigger's delivery contract (docs/trigger.md) against the sandbox: every change delivered
 * once, in order, with a stable eventId, whatever the timing of polls and MDR's indexing.
 */
import { startTestSandbox, type Sandbox } from '../harness/sandbox';
import {
	advance,
	clone,
	control,
	createIncident,
	drain,
	eventIds,
	resetAt,
	triggerWorkflow,
} from './timeline';

let sandbox: Sandbox;
let now: number;

beforeAll(async () => {
	sandbox = await startTestSandbox();
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(async () => {
	now = Date.now() - (Date.now() % 1000);
	await resetAt(sandbox, now);
	await sandbox.control.clearFaults();
});

describe('first activation', () => {
	it('sets a baseline and delivers nothing that happened before it', async () => {
		const recent = await createIncident(sandbox, { creation_time: now - 60_000 });
		await control(sandbox).addComment(recent.incident_id, { text: 'before activation' } as never);
		const workflow = await triggerWorkflow(sandbox);

		expect(await workflow.poll()).toBeNull();
		await advance(sandbox, 1_000);
		expect(await workflow.poll()).toBeNull();

		const created = await createIncident(sandbox);
		expect(eventIds(await workflow.poll())).toEqual([`incident:${created.incident_id}:created`]);
	});

	it('with a look-back window, delivers the changes of that window on the first poll', async () => {
		const old = await createIncident(sandbox, { creation_time: now - 3 * 3_600_000 });
		const inWindow = await createIncident(sandbox, { creation_time: now - 30 * 60_000 });
		const workflow = await triggerWorkflow(sandbox, { options: { lookBackHours: 1 } });

		const ids = eventIds(await workflow.poll());

		expect(ids).toEqual([`incident:${inWindow.incident_id}:created`]);
		expect(ids.join()).not.toContain(old.incident_id);
		expect(await workflow.poll()).toBeNull();
	});
});

describe('changes after the baseline', () => {
	it('delivers each kind of change once, with its stable eventId, oldest first', async () => {
		const workflow = await triggerWorkflow(sandbox);
		expect(await workflow.poll()).toBeNull();

		const t1 = await advance(sandbox, 1_000);
		const incident = await createIncident(sandbox);
		const id = incident.incident_id;
		expect(eventIds(await workflow.poll())).toEqual([`incident:${id}:created`]);

		const t2 = await advance(sandbox, 1_000);
		const comment = (await control(sandbox).addComment(id, { text: 'Host isolated' } as never)) as {
			comment_id: string;
		};
		const t3 = await advance(sandbox, 1_000);
		const response = (await control(sandbox).addResponse(id, {} as never)) as {
			response_id: string;
		};
		const t4 = await advance(sandbox, 1_000);
		const attachment = (await control(sandbox).addAttachment(id, {
			full_name: 'report.pdf',
			size: 10,
		} as never)) as { attachment_id: string };
		const items = await workflow.poll();

		expect(eventIds(items)).toEqual([
			`comment:${comment.comment_id}`,
			`response:${response.response_id}:created`,
			`attachment:${attachment.attachment_id}`,
			`incident:${id}:updated:${t4}`,
		]);
		expect(items![0].json).toMatchObject({
			event: 'newComment',
			incidentId: id,
			incident: { incident_id: id, link: `https://mdr.kaspersky.com/incidents/${id}` },
			comment: { comment_id: comment.comment_id, text: 'Host isolated' },
		});
		expect([t1, t2, t3]).toEqual([t1, t1 + 1_000, t1 + 2_000]);

		// Two changes between polls: MDR lists only the incident's latest version, so one update.
		const t5 = await advance(sandbox, 1_000);
		await control(sandbox).updateResponse(response.response_id, { status: 'Confirmed' } as never);
		await advance(sandbox, 1_000);
		await control(sandbox).updateIncident(id, { status: 'Resolved' } as never);
		const t6 = t5 + 1_000;
		const later = await workflow.poll();

		expect(eventIds(later)).toEqual([
			`response:${response.response_id}:status:Confirmed`,
			`incident:${id}:status:Resolved:${t6}`,
			`incident:${id}:updated:${t6}`,
		]);
		expect(later![0].json.previousStatus).toBe('Waiting');
		expect(later![1].json.previousStatus).toBe('Open');
		expect(await workflow.poll()).toBeNull();
	});

	it('delivers changes that share one millisecond once each, across capped polls', async () => {
		const workflow = await triggerWorkflow(sandbox, { options: { maxEventsPerPoll: 2 } });
		await workflow.poll();
		await advance(sandbox, 1_000);
		const created = [];
		for (let i = 0; i < 5; i++) created.push(await createIncident(sandbox));
		const expected = created
			.map((incident) => incident.incident_id)
			.sort()
			.map((id) => `incident:${id}:created`);

		const polls = await drain(workflow);

		expect(polls.map((ids) => ids.length)).toEqual([2, 2, 1]);
		expect(polls.flat()).toEqual(expected);
	});

	it('delivers an update that MDR lists late, within the overlap window, exactly once', async () => {
		const workflow = await triggerWorkflow(sandbox);
		await workflow.poll();
		await advance(sandbox, 1_000);
		const late = await createIncident(sandbox, { visibleAfterMs: 90_000 });
		await advance(sandbox, 1_000);
		const onTime = await createIncident(sandbox);

		expect(eventIds(await workflow.poll())).toEqual([`incident:${onTime.incident_id}:created`]);
		await advance(sandbox, 120_000);
		expect(eventIds(await workflow.poll())).toEqual([`incident:${late.incident_id}:created`]);
		expect(await workflow.poll()).toBeNull();
	});

	it('does not deliver comments and attachments written by its own API connection', async () => {
		const workflow = await triggerWorkflow(sandbox, {
			options: { ownAuthorName: sandbox.connectionName },
		});
		await workflow.poll();
		const incident = await createIncident(sandbox);
		await workflow.poll();

		await advance(sandbox, 1_000);
		await control(sandbox).addComment(incident.incident_id, {
			text: 'Ticket INC-1 opened',
			author_name: sandbox.connectionName,
		} as never);
		await advance(sandbox, 1_000);
		await control(sandbox).addAttachment(incident.incident_id, {
			full_name: 'ticket.txt',
			size: 5,
			author_name: sandbox.connectionName,
		} as never);
		expect(await workflow.poll()).toBeNull();

		await advance(sandbox, 1_000);
		const soc = (await control(sandbox).addComment(incident.incident_id, {
			text: 'Please confirm',
			author_name: 'SOC analyst',
		} as never)) as { comment_id: string; creation_time: number };
		expect(eventIds(await workflow.poll())).toEqual([
			`comment:${soc.comment_id}`,
			`incident:${incident.incident_id}:updated:${soc.creation_time}`,
		]);
	});

	it('delivers only incidents that match the priority, status and tenant filters', async () => {
		const tenants = (await control(sandbox).listTenants()) as Array<{ tenant_name: string }>;
		const [mine, other] = tenants.map((tenant) => tenant.tenant_name);
		const workflow = await triggerWorkflow(sandbox, {
			events: ['newIncident'],
			filters: { priorities: ['HIGH'], statuses: ['Open'], tenants: mine },
		});
		await workflow.poll();
		await advance(sandbox, 1_000);

		const match = await createIncident(sandbox, { priority: 'HIGH', tenant_name: mine });
		await createIncident(sandbox, { priority: 'NORMAL', tenant_name: mine });
		await createIncident(sandbox, { priority: 'HIGH', tenant_name: other });
		await createIncident(sandbox, { priority: 'HIGH', tenant_name: mine, status: 'Closed' });

		expect(eventIds(await workflow.poll())).toEqual([`incident:${match.incident_id}:created`]);
	});
});

describe('at-least-once polling', () => {
	it('a poll repeated with the same saved state delivers the same eventIds again, nothing else', async () => {
		const workflow = await triggerWorkflow(sandbox);
		await workflow.poll();
		await advance(sandbox, 1_000);
		const a = await createIncident(sandbox);
		const before = clone(workflow.staticData);

		const first = eventIds(await workflow.poll());
		workflow.staticData = before;
		const again = eventIds(await workflow.poll());

		expect(first).toEqual([`incident:${a.incident_id}:created`]);
		expect(again).toEqual(first);
		expect(await workflow.poll()).toBeNull();
	});

	it('continues after n8n restarts with its saved state reloaded', async () => {
		const workflow = await triggerWorkflow(sandbox);
		await workflow.poll();
		await advance(sandbox, 1_000);
		const a = await createIncident(sandbox);
		expect(eventIds(await workflow.poll())).toEqual([`incident:${a.incident_id}:created`]);

		workflow.restart();
		await advance(sandbox, 1_000);
		const b = await createIncident(sandbox);

		expect(eventIds(await workflow.poll())).toEqual([`incident:${b.incident_id}:created`]);
		expect(await workflow.poll()).toBeNull();
	});

	it('after losing its saved state, takes a new baseline and re-delivers nothing old', async () => {
		const workflow = await triggerWorkflow(sandbox);
		await workflow.poll();
		await advance(sandbox, 1_000);
		await createIncident(sandbox);
		await workflow.poll();

		workflow.staticData = {};
		expect(await workflow.poll()).toBeNull();
		await advance(sandbox, 1_000);
		const b = await createIncident(sandbox);
		expect(eventIds(await workflow.poll())).toEqual([`incident:${b.incident_id}:created`]);
	});
});

describe('Fetch Test Event', () => {
	it('returns recent real events and leaves the saved state untouched', async () => {
		const workflow = await triggerWorkflow(sandbox);
		await workflow.poll();
		await advance(sandbox, 1_000);
		const a = await createIncident(sandbox);
		const saved = clone(workflow.staticData);

		const sample = eventIds(await workflow.poll('manual'));

		expect(sample).toContain(`incident:${a.incident_id}:created`);
		expect(sample.length).toBeLessThanOrEqual(5);
		expect(workflow.staticData).toEqual(saved);
		expect(eventIds(await workflow.poll())).toEqual([`incident:${a.incident_id}:created`]);
	});
});
