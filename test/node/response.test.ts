import type { IDataObject } from 'n8n-workflow';

import { allIncidents, byId, useSandbox } from './context';

const mdr = useSandbox({ incidents: 40, seed: 3 });

/** An incident with `count` fresh responses awaiting a decision. */
async function pendingResponses(count: number): Promise<{ incidentId: string; ids: string[] }> {
	const [incident] = await allIncidents(mdr.sandbox);
	const ids: string[] = [];
	for (let n = 0; n < count; n++) {
		const response = (await mdr.sandbox.control.addResponse(
			incident.incident_id as never,
			{} as never,
		)) as IDataObject;
		ids.push(response.response_id as string);
	}
	return { incidentId: incident.incident_id, ids };
}

async function statusOf(responseId: string): Promise<string> {
	for (const incident of await allIncidents(mdr.sandbox)) {
		const response = incident.responses.find((entry) => entry.response_id === responseId);
		if (response) return response.status as string;
	}
	throw new Error(`no response ${responseId}`);
}

const decide = (operation: 'confirm' | 'decline') => ({
	resource: 'response',
	operation,
	responseId: '={{ $json.id }}',
	comment: '={{ $json.comment }}',
});

afterEach(async () => {
	await mdr.sandbox.control.setConfig({ bulkUpdateBehavior: 'atomic', uncertainAnswers: 'object' });
});

describe('Response → Get Many', () => {
	it('lists the responses of an incident, filtered by status', async () => {
		const { incidentId, ids } = await pendingResponses(2);

		const { items } = await mdr.run({
			resource: 'response',
			operation: 'getMany',
			incidentId: byId(incidentId),
			returnAll: true,
			status: 'pending',
		});

		expect(await mdr.sent('responses/list')).toEqual([
			{ incident_id: incidentId, page: 1, page_size: 1000 },
			expect.objectContaining({ page: 2 }),
		]);
		const listed = items.map((item) => item.json.response_id);
		expect(listed).toEqual(expect.arrayContaining(ids));
		expect(items.every((item) => item.json.status === 'Waiting')).toBe(true);
	});
});

describe('Response → Confirm / Decline', () => {
	it('confirms one response through response/update with the comment', async () => {
		const { ids } = await pendingResponses(1);

		const { items, error } = await mdr.run(decide('confirm'), [
			{ json: { id: ids[0], comment: 'Approved by the on-call engineer' } },
		]);

		expect(error).toBeUndefined();
		expect(await mdr.sent('response/update')).toEqual([
			{ response_id: ids[0], status: 'Confirmed', comment: 'Approved by the on-call engineer' },
		]);
		expect(await mdr.sent('responses/update')).toEqual([]);
		expect(items[0].json).toMatchObject({ response_id: ids[0], status: 'Confirmed' });
		expect(await statusOf(ids[0])).toBe('Confirmed');
	});

	it('declines consecutive items with the same comment in one bulk call, one output per item', async () => {
		const { ids } = await pendingResponses(4);
		const input = [
			{ json: { id: ids[0], comment: 'Not on production hosts' } },
			{ json: { id: ids[1], comment: 'Not on production hosts' } },
			{ json: { id: ids[2], comment: 'Not on production hosts' } },
			{ json: { id: ids[3], comment: 'Call us first' } },
		];

		const { items, error } = await mdr.run(decide('decline'), input);

		expect(error).toBeUndefined();
		expect(await mdr.sent('responses/update')).toEqual([
			{ responses_ids: ids.slice(0, 3), status: 'Declined', comment: 'Not on production hosts' },
		]);
		expect(await mdr.sent('response/update')).toEqual([
			{ response_id: ids[3], status: 'Declined', comment: 'Call us first' },
		]);
		expect(items.map((item) => [item.json.response_id, item.json.status, item.pairedItem])).toEqual(
			ids.map((id, index) => [id, 'Declined', { item: index }]),
		);
		for (const id of ids) expect(await statusOf(id)).toBe('Declined');
	});

	it('reports each response when MDR answers the bulk call with an empty body', async () => {
		await mdr.sandbox.control.setConfig({ uncertainAnswers: 'empty-body' });
		const { ids } = await pendingResponses(2);

		const { items } = await mdr.run(decide('confirm'), [
			{ json: { id: ids[0], comment: 'ok' } },
			{ json: { id: ids[1], comment: 'ok' } },
		]);

		expect((await mdr.sent('responses/update')).length).toBe(1);
		expect(await mdr.sent('response/update')).toEqual([]);
		expect(items.map((item) => item.json)).toEqual([
			{ response_id: ids[0], status: 'Confirmed', comment: 'ok' },
			{ response_id: ids[1], status: 'Confirmed', comment: 'ok' },
		]);
	});

	it('falls back to one call per response when MDR refuses the whole bulk call (nothing applied)', async () => {
		const { ids } = await pendingResponses(3);
		const input = [ids[0], 'MDR_00000000-0000-0000-0000-000000000000', ids[2]].map((id) => ({
			json: { id, comment: 'Go ahead' },
		}));

		const { items } = await mdr.run(decide('confirm'), input, { continueOnFail: true });

		const bulk = await mdr.sent('responses/update');
		const single = await mdr.sent('response/update');
		expect(bulk).toHaveLength(1);
		expect(single.map((body) => body.response_id)).toEqual(input.map((item) => item.json.id));
		expect(items[0].json).toMatchObject({ response_id: ids[0], status: 'Confirmed' });
		expect(items[1].json.error).toBe(
			'MDR answered 404 to response/update: Response MDR_00000000-0000-0000-0000-000000000000 not found',
		);
		expect(items[2].json).toMatchObject({ response_id: ids[2], status: 'Confirmed' });
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('reports per response what a per-id bulk answer says, without resending', async () => {
		await mdr.sandbox.control.setConfig({ bulkUpdateBehavior: 'per-id' });
		const { ids } = await pendingResponses(2);
		await mdr.sandbox.control.updateResponse(ids[1] as never, { status: 'Confirmed' } as never);

		const { items } = await mdr.run(
			decide('decline'),
			ids.map((id) => ({ json: { id, comment: 'No' } })),
			{ continueOnFail: true },
		);

		expect(await mdr.sent('responses/update')).toHaveLength(1);
		expect(await mdr.sent('response/update')).toEqual([]);
		expect(items[0].json).toMatchObject({ response_id: ids[0], status: 'Declined' });
		expect(items[1].json.error).toBe(
			`MDR did not set response ${ids[1]} to Declined: Response ${ids[1]} is already Confirmed`,
		);
	});

	it('never resends a bulk call whose outcome is unknown', async () => {
		const { ids } = await pendingResponses(2);
		await mdr.sandbox.control.setFaults({ script: [{ kind: '503', path: 'responses/update' }] });
		await mdr.sandbox.control.resetCounters();

		const { items } = await mdr.run(
			decide('confirm'),
			ids.map((id) => ({ json: { id, comment: 'ok' } })),
			{ continueOnFail: true },
		);

		expect((await mdr.sandbox.control.getCounters()).endpoints['responses/update'].received).toBe(
			1,
		);
		expect(await mdr.sent('response/update')).toEqual([]);
		expect(items.map((item) => item.json.error)).toEqual([
			expect.stringContaining('MDR answered 503 to responses/update'),
			expect.stringContaining('MDR answered 503 to responses/update'),
		]);
		await mdr.sandbox.control.clearFaults();
	});

	it('refuses an empty response ID or comment before calling MDR', async () => {
		const { items } = await mdr.run(
			decide('confirm'),
			[{ json: { id: '', comment: 'x' } }, { json: { id: 'MDR_1', comment: '  ' } }],
			{ continueOnFail: true },
		);

		expect(items.map((item) => item.json.error)).toEqual([
			'The response ID is empty',
			'The comment is empty',
		]);
		expect(await mdr.sent('response/update')).toEqual([]);
	});
});
