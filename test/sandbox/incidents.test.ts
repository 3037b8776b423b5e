import { call, controlHttp, session, start, walk, type SandboxHandle, type Json } from './client';

let sandbox: SandboxHandle;
let token: string;

beforeAll(async () => {
	sandbox = await start({ incidents: 300, tieRate: 0.5, seed: 7 });
	token = (await session(sandbox)).access_token;
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(async () => {
	await sandbox.control.setConfig({
		windowBehavior: 'error',
		pageSizeBehavior: 'error',
		maxPageSize: 1000,
	});
});

const list = (body: Record<string, unknown>) => call(sandbox, 'incidents/list', body, { token });

describe('data', () => {
	test('the same seed gives the same data', async () => {
		const other = await start({
			incidents: 300,
			tieRate: 0.5,
			seed: 7,
			anchorMs: 1_700_000_000_000,
		});
		const again = await start({
			incidents: 300,
			tieRate: 0.5,
			seed: 7,
			anchorMs: 1_700_000_000_000,
		});
		try {
			expect(await again.control.listIncidents()).toEqual(await other.control.listIncidents());
		} finally {
			await Promise.all([other.close(), again.close()]);
		}
	});

	test('objects have the documented id and time formats', async () => {
		const [incident] = (await list({ page_size: 50 })).json.filter(
			(i: Json) => i.responses.length && i.comments.length,
		);
		expect(incident.incident_id).toMatch(/^[A-Za-z0-9_-]{20}$/);
		expect(String(incident.creation_time)).toMatch(/^\d{13}$/);
		expect(incident.affected_hosts_mappings[0].host_id).toMatch(/^0x[0-9A-F]{32}$/);
		expect(incident.affected_hosts[0]).toBe(
			`${incident.affected_hosts_mappings[0].host_name}:${incident.affected_hosts_mappings[0].host_id}`,
		);
		expect(incident.responses[0].response_id).toMatch(/^MDR_[0-9a-f-]{36}$/);
		expect(incident.comments[0]).toEqual(
			expect.objectContaining({
				comment_id: expect.any(String),
				author_name: expect.any(String),
				text: expect.any(String),
				origin: expect.any(String),
			}),
		);
	});

	test('times spread over about 90 days and many incidents share an update_time', async () => {
		const all = await sandbox.control.listIncidents({ fields: ['creation_time', 'update_time'] });
		const span =
			Math.max(...all.map((i: Json) => i.creation_time)) -
			Math.min(...all.map((i: Json) => i.creation_time));
		expect(span).toBeGreaterThan(80 * 86400_000);
		const distinct = new Set(all.map((i: Json) => i.update_time)).size;
		expect(all.length - distinct).toBeGreaterThan(50);
		expect(all.every((i: Json) => i.update_time >= i.creation_time)).toBe(true);
	});
});

describe('incidents/list paging and sort', () => {
	test('the default sort is creation_time descending', async () => {
		const items = (await list({ page_size: 100 })).json;
		const times = items.map((i: Json) => i.creation_time);
		expect(times).toEqual([...times].sort((a, b) => b - a));
	});

	test.each(['update_time:desc', 'update_time:asc', 'creation_time:asc', 'priority:desc'])(
		'walking every page sorted by %s returns each incident exactly once, in order',
		async (sort) => {
			const pages = await walk(
				sandbox,
				token,
				'incidents/list',
				{ sort, fields: ['incident_id', 'update_time', 'creation_time', 'priority'] },
				7,
			);
			const expected = await sandbox.control.listIncidents({ fields: ['incident_id'] });

			expect(pages).toHaveLength(expected.length);
			expect(new Set(pages.map((i) => i.incident_id))).toEqual(
				new Set(expected.map((i: Json) => i.incident_id)),
			);
			const [field, direction] = sort.split(':');
			const rank = (i: Json) =>
				field === 'priority' ? { LOW: 0, NORMAL: 1, HIGH: 2 }[i.priority as string] : i[field];
			for (let n = 1; n < pages.length; n++) {
				const [a, b] = [rank(pages[n - 1]), rank(pages[n])];
				if (a === b) expect(pages[n - 1].incident_id < pages[n].incident_id).toBe(true);
				else expect(direction === 'asc' ? a < b : a > b).toBe(true);
			}
		},
	);

	test('pages past the 10,000-result window are an Elasticsearch-like 400 by default', async () => {
		expect((await list({ page: 10, page_size: 1000, fields: ['incident_id'] })).status).toBe(200);
		const answer = await list({ page: 11, page_size: 1000 });
		expect(answer.status).toBe(400);
		expect(answer.json.message).toMatch(
			/^Result window is too large, from \+ size must be less than or equal to: \[10000\] but was \[11000\]/,
		);
	});

	test('pages past the window are empty when windowBehavior is "empty"', async () => {
		await sandbox.control.setConfig({ windowBehavior: 'empty' });
		const answer = await list({ page: 101, page_size: 100 });
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual([]);
	});

	test('page_size over the maximum is a 400, or clamped when switched', async () => {
		expect((await list({ page_size: 1001 })).status).toBe(400);
		await sandbox.control.setConfig({ pageSizeBehavior: 'clamp', maxPageSize: 50 });
		const answer = await list({ page_size: 500, fields: ['incident_id'] });
		expect(answer.status).toBe(200);
		expect(answer.json).toHaveLength(50);
	});

	test.each([
		[{ page_size: '10' }, "Field 'page_size' must be an integer"],
		[{ page: 0 }, "Field 'page' must be 1 or more"],
		[{ priorities: ['URGENT'] }, "Field 'priorities' must be one of: HIGH, NORMAL, LOW"],
		[{ sort: 'color:asc' }, expect.stringContaining("Unsupported sort 'color:asc'")],
		[{ min_update_time: '1700000000000' }, "Field 'min_update_time' must be an integer"],
	])('a wrong parameter %j is a 400', async (body, message) => {
		const answer = await list(body);
		expect(answer.status).toBe(400);
		expect(answer.json.message).toEqual(message);
	});
});

describe('filters, count and projection', () => {
	let all: Json[];

	beforeAll(async () => {
		all = await sandbox.control.listIncidents();
	});

	const expectMatch = async (body: Record<string, unknown>, predicate: (i: Json) => boolean) => {
		const expected = all
			.filter(predicate)
			.map((i) => i.incident_id)
			.sort();
		const got = (
			await walk(sandbox, token, 'incidents/list', { ...body, fields: ['incident_id'] }, 1000)
		)
			.map((i) => i.incident_id)
			.sort();
		const count = await call(sandbox, 'incidents/count', body, { token });
		expect(expected.length).toBeGreaterThan(0);
		expect(got).toEqual(expected);
		expect(count.json).toEqual({ count: expected.length });
	};

	test('priorities and statuses', () =>
		expectMatch(
			{ priorities: ['HIGH'], statuses: ['Open', 'On hold'] },
			(i) => i.priority === 'HIGH' && ['Open', 'On hold'].includes(i.status),
		));

	test('min_update_time and max_update_time are inclusive', () => {
		const sorted = all.map((i) => i.update_time).sort((a, b) => a - b);
		const [min, max] = [sorted[50], sorted[120]];
		return expectMatch(
			{ min_update_time: min, max_update_time: max },
			(i) => i.update_time >= min && i.update_time <= max,
		);
	});

	test('asset_ids, tenants_names and response_statuses', () => {
		const asset = all[0].affected_hosts_mappings[0].host_id;
		return Promise.all([
			expectMatch({ asset_ids: [asset] }, (i) =>
				i.affected_hosts_mappings.some((m: Json) => m.host_id === asset),
			),
			expectMatch(
				{ tenants_names: [all[0].tenant_name] },
				(i) => i.tenant_name === all[0].tenant_name,
			),
			expectMatch({ response_statuses: ['Waiting'] }, (i) =>
				i.responses.some((r: Json) => r.status === 'Waiting'),
			),
		]);
	});

	test('search_phrase finds an incident by its number', async () => {
		const answer = await list({ search_phrase: `K-${all[5].incident_number}` });
		expect(answer.json.map((i: Json) => i.incident_id)).toEqual([all[5].incident_id]);
	});

	test('fields narrows each item to exactly those fields', async () => {
		const answer = await list({ page_size: 3, fields: ['incident_id', 'update_time'] });
		expect(answer.json.map((i: Json) => Object.keys(i).sort())).toEqual(
			Array(3).fill(['incident_id', 'update_time']),
		);
	});

	test('details answers one incident; markdown_to_html turns the description into HTML', async () => {
		const id = all[3].incident_id;
		const plain = await call(sandbox, 'incidents/details', { incident_id: id }, { token });
		const html = await call(
			sandbox,
			'incidents/details',
			{ incident_id: id, markdown_to_html: true, fields: ['description'] },
			{ token },
		);
		expect(plain.json.description).toMatch(/^## /);
		expect(html.json.description).toMatch(/^<h2>/);
		expect(html.json.description).toContain('<strong>');
	});

	test('unknown ids are 404 and a missing id is 400', async () => {
		expect(
			(await call(sandbox, 'incidents/details', { incident_id: 'nope' }, { token })).status,
		).toBe(404);
		expect((await call(sandbox, 'incidents/details', {}, { token })).status).toBe(400);
	});
});

describe('writes', () => {
	test('incidents/create answers the new incident, made by the client', async () => {
		const [asset] = await sandbox.control.listAssets();
		const before = (await call(sandbox, 'incidents/count', {}, { token })).json.count;
		const answer = await call(
			sandbox,
			'incidents/create',
			{
				summary: 'Test',
				client_description: 'Made in a test',
				affected_hosts: [asset.host_name],
				priority: 'HIGH',
			},
			{ token },
		);
		expect(answer.status).toBe(200);
		expect(answer.json).toMatchObject({
			summary: 'Test',
			origin: 'Client',
			status: 'Open',
			priority: 'HIGH',
			tenant_name: asset.tenant_name,
		});
		expect(answer.json.affected_hosts_mappings).toEqual([
			{ host_id: asset.asset_id, host_name: asset.host_name },
		]);
		expect((await call(sandbox, 'incidents/count', {}, { token })).json.count).toBe(before + 1);
		expect(
			(
				await call(
					sandbox,
					'incidents/create',
					{ summary: 'x', client_description: 'y' },
					{ token },
				)
			).status,
		).toBe(400);
	});

	test('incidents/close sets Closed with the resolution and bumps update_time', async () => {
		await sandbox.control.setClock({ nowMs: Date.now() + 1000, frozen: true });
		const open = (await list({ statuses: ['Open'], page_size: 1 })).json[0];
		const answer = await call(
			sandbox,
			'incidents/close',
			{ incident_id: open.incident_id, resolution_status: 'FALSE_POSITIVE', summary: 'Test' },
			{ token },
		);
		const { nowMs } = await sandbox.control.getClock();

		expect(answer.status).toBe(200);
		expect(answer.json).toMatchObject({
			status: 'Closed',
			resolution: 'False positive',
			status_description: 'Test',
			update_time: nowMs,
		});
		expect(
			(
				await call(
					sandbox,
					'incidents/close',
					{ incident_id: open.incident_id, resolution_status: 'TRUE_POSITIVE' },
					{ token },
				)
			).status,
		).toBe(400);
		expect(
			(
				await call(
					sandbox,
					'incidents/close',
					{ incident_id: open.incident_id, resolution_status: 'MAYBE' },
					{ token },
				)
			).status,
		).toBe(400);

		const history = await call(
			sandbox,
			'incidents/history',
			{ incident_id: open.incident_id, min_record_time: nowMs },
			{ token },
		);
		expect(history.json).toEqual([
			{
				changed_at: nowMs,
				changed_by: 'n8n integration',
				operation: 'update',
				entity: {
					incident_details: {
						incident_id: open.incident_id,
						status: 'Closed',
						resolution: 'False positive',
						status_description: 'Test',
					},
				},
			},
		]);
		const ignored = await call(
			sandbox,
			'incidents/history',
			{ incident_id: open.incident_id, min_record_time: nowMs, ignore_self: true },
			{ token },
		);
		expect(ignored.json).toEqual([]);
		await sandbox.control.setClock({ real: true });
	});
});

describe('control changes for trigger timelines', () => {
	test('a change made visible late keeps the old version in lists while details show the new one', async () => {
		const start = Date.now() + 60_000;
		await sandbox.control.setClock({ nowMs: start, frozen: true });
		const target = (
			await sandbox.control.listIncidents({ fields: ['incident_id', 'update_time'] })
		)[10];

		await controlHttp(sandbox, 'PATCH', `/incidents/${target.incident_id}`, {
			summary: 'Changed late',
			visibleAfterMs: 5000,
		});
		const sinceStart = {
			min_update_time: start,
			fields: ['incident_id', 'summary', 'update_time'],
		};

		expect((await list(sinceStart)).json).toEqual([]);
		expect(
			(
				await call(
					sandbox,
					'incidents/details',
					{ incident_id: target.incident_id, fields: ['summary'] },
					{ token },
				)
			).json,
		).toEqual({ summary: 'Changed late' });

		await sandbox.control.setClock({ advanceMs: 5000 });
		expect((await list(sinceStart)).json).toEqual([
			{ incident_id: target.incident_id, summary: 'Changed late', update_time: start },
		]);
		await sandbox.control.setClock({ real: true });
	});

	test('control-created incidents, comments and responses appear through the API', async () => {
		const created = (
			await controlHttp(sandbox, 'POST', '/incidents', {
				summary: 'From control',
				priority: 'LOW',
				creation_time: 1_700_000_000_000,
			})
		).json;
		const comment = (
			await controlHttp(sandbox, 'POST', `/incidents/${created.incident_id}/comments`, {
				text: 'SOC says hi',
				author_name: 'Analyst',
			})
		).json;
		const response = (
			await controlHttp(sandbox, 'POST', `/incidents/${created.incident_id}/responses`, {
				type: 'RUN_SCRIPT',
			})
		).json;
		const details = (
			await call(sandbox, 'incidents/details', { incident_id: created.incident_id }, { token })
		).json;

		expect(details).toMatchObject({
			summary: 'From control',
			priority: 'LOW',
			creation_time: 1_700_000_000_000,
		});
		expect(details.update_time).toBeGreaterThan(1_700_000_000_000);
		expect(details.comments).toEqual([comment]);
		expect(details.responses).toEqual([
			expect.objectContaining({
				response_id: response.response_id,
				status: 'Waiting',
				type: 'RUN_SCRIPT',
			}),
		]);
		expect((await controlHttp(sandbox, 'GET', '/incidents/nope')).status).toBe(404);
	});
});

describe('seeded details and history', () => {
	const fixed = { incidents: 40, seed: 21, anchorMs: 1_750_000_000_000 };

	test('details come out the same whatever is read first', async () => {
		const [a, b] = [await start(fixed), await start(fixed)];
		try {
			const ids = (await a.control.listIncidents({ fields: ['incident_id'] })).map(
				(i: Json) => i.incident_id,
			);
			const last = ids.at(-1);
			const direct = await b.control.getIncident(last);
			const afterAll = (await a.control.listIncidents()).find((i: Json) => i.incident_id === last);
			expect(JSON.parse(JSON.stringify(direct))).toEqual(JSON.parse(JSON.stringify(afterAll)));
		} finally {
			await Promise.all([a.close(), b.close()]);
		}
	});

	test('a seeded response can be decided before its incident was ever read', async () => {
		const [a, b] = [await start(fixed), await start(fixed)];
		try {
			const withPending = (await a.control.listIncidents()).find((i: Json) =>
				i.responses.some((r: Json) => r.status === 'Waiting'),
			);
			const responseId = withPending.responses.find(
				(r: Json) => r.status === 'Waiting',
			).response_id;
			const { access_token } = await session(b);
			const answer = await call(
				b,
				'response/update',
				{ response_id: responseId, status: 'Declined', comment: 'not now' },
				{ token: access_token },
			);
			expect(answer.json).toMatchObject({
				response_id: responseId,
				status: 'Declined',
				comment: 'not now',
			});
		} finally {
			await Promise.all([a.close(), b.close()]);
		}
	});

	test('the history of a seeded incident has its creation and its children', async () => {
		const incident = (await sandbox.control.listIncidents()).find(
			(i: Json) => i.comments.length > 1 && i.status === 'Closed',
		);
		const answer = await call(
			sandbox,
			'incidents/history',
			{ incident_id: incident.incident_id, page_size: 100 },
			{ token },
		);
		const records = answer.json;

		expect(records[0]).toMatchObject({
			operation: 'create',
			changed_at: incident.creation_time,
			entity: { incident_details: { incident_id: incident.incident_id } },
		});
		const commentIds = records
			.filter((r: Json) => r.entity.incident_comment)
			.map((r: Json) => r.entity.incident_comment.comment_id);
		expect(commentIds).toEqual(incident.comments.map((c: Json) => c.comment_id));
		expect(records.at(-1)).toMatchObject({
			operation: 'update',
			entity: { incident_details: { status: 'Closed' } },
		});
		const times = records.map((r: Json) => r.changed_at);
		expect(times).toEqual([...times].sort((x, y) => x - y));
	});

	test('history pages per entity type by default, globally when switched', async () => {
		const incident = (await sandbox.control.listIncidents()).find(
			(i: Json) => i.comments.length >= 2 && i.responses.length >= 2,
		);
		const perEntity = await call(
			sandbox,
			'incidents/history',
			{ incident_id: incident.incident_id, page: 1, entity_type_page_size: 1 },
			{ token },
		);
		const types = perEntity.json.map((r: Json) => Object.keys(r.entity)[0]);
		expect(types.filter((t: string) => t === 'incident_comment')).toHaveLength(1);
		expect(types.filter((t: string) => t === 'incident_response')).toHaveLength(1);

		await sandbox.control.setConfig({ historyPaging: 'global' });
		const global = await call(
			sandbox,
			'incidents/history',
			{ incident_id: incident.incident_id, page: 1, page_size: 1 },
			{ token },
		);
		await sandbox.control.setConfig({ historyPaging: 'per-entity' });
		expect(global.json).toHaveLength(1);
	});
});
