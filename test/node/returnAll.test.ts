/**
 * Return All over more incidents than MDR's 10,000-result window: every incident exactly once, in
 * order, whichever way the server answers past the window, and with a large group of incidents
 * sharing the millisecond where the window ends.
 */
import type { IDataObject } from 'n8n-workflow';

import { allIncidents, useSandbox, type SandboxIncident } from './context';

const mdr = useSandbox({ incidents: 25_000, assets: 20, seed: 11 });
let expected: SandboxIncident[];

beforeAll(async () => {
	// 1,500 more incidents at one millisecond, placed so that the first window ends inside them.
	const seeded = await allIncidents(mdr.sandbox);
	const byNewest = [...seeded].sort((a, b) => b.creation_time - a.creation_time);
	const tieTime = byNewest[9_500].creation_time;
	for (let n = 0; n < 1_500; n++) {
		await mdr.sandbox.control.createIncident({ creation_time: tieTime } as never);
	}
	expected = await allIncidents(mdr.sandbox);
}, 120_000);

afterEach(async () => {
	await mdr.sandbox.control.setConfig({
		resultWindow: 10_000,
		windowBehavior: 'error',
		pageSizeBehavior: 'error',
		maxPageSize: 1000,
	});
});

async function returnAll(sort: string) {
	const { items, error } = await mdr.run({
		resource: 'incident',
		operation: 'getMany',
		returnAll: true,
		sort,
		simplify: false,
	});
	expect(error).toBeUndefined();
	return items.map((item) => item.json as IDataObject);
}

function expectExactlyTheSandboxSet(incidents: IDataObject[]) {
	const ids = incidents.map((incident) => incident.incident_id as string);
	expect(new Set(ids).size).toBe(ids.length);
	expect(ids.length).toBe(expected.length);
	expect([...ids].sort()).toEqual(expected.map((incident) => incident.incident_id).sort());
}

function expectOrdered(incidents: IDataObject[], field: string, direction: 'asc' | 'desc') {
	const sign = direction === 'asc' ? 1 : -1;
	const outOfOrder = incidents.filter(
		(incident, i) =>
			i > 0 && sign * ((incident[field] as number) - (incidents[i - 1][field] as number)) < 0,
	);
	expect(outOfOrder).toEqual([]);
}

it('returns every incident once, newest first, restarting before the window instead of asking for a page MDR refuses', async () => {
	const incidents = await returnAll('creation_time:desc');

	expectExactlyTheSandboxSet(incidents);
	expectOrdered(incidents, 'creation_time', 'desc');
	const bodies = await mdr.sent('incidents/list');
	expect(bodies.some((body) => body.max_creation_time !== undefined)).toBe(true);
	const pastWindow = bodies.filter((body) => (body.page as number) * (body.page_size as number) > 10_000);
	expect(pastWindow).toEqual([]);
});

it.each(['error', 'empty'])(
	'returns every incident once when MDR has a smaller window and answers past it with %s',
	async (windowBehavior) => {
		await mdr.sandbox.control.setConfig({ windowBehavior, resultWindow: 4_000 });

		const incidents = await returnAll('creation_time:desc');

		expectExactlyTheSandboxSet(incidents);
		expectOrdered(incidents, 'creation_time', 'desc');
		const bodies = await mdr.sent('incidents/list');
		expect(bodies.filter((body) => body.page === 5).length).toBeGreaterThan(0);
	},
);

it('returns every incident once, oldest first, continuing by the lower time bound', async () => {
	const incidents = await returnAll('creation_time:asc');

	expectExactlyTheSandboxSet(incidents);
	expectOrdered(incidents, 'creation_time', 'asc');
	expect(
		(await mdr.sent('incidents/list')).some((body) => body.min_creation_time !== undefined),
	).toBe(true);
});

it('returns every incident once when sorted by update time', async () => {
	await mdr.sandbox.control.setConfig({ windowBehavior: 'empty' });

	const incidents = await returnAll('update_time:desc');

	expectExactlyTheSandboxSet(incidents);
	expectOrdered(incidents, 'update_time', 'desc');
});

it('lowers the page size to the maximum MDR names when it refuses 1000', async () => {
	await mdr.sandbox.control.setConfig({ maxPageSize: 400 });

	const { items } = await mdr.run({
		resource: 'incident',
		operation: 'getMany',
		limit: 1_000,
	});

	expect(items).toHaveLength(1_000);
	const sizes = (await mdr.sent('incidents/list')).map((body) => body.page_size);
	expect(sizes).toEqual([1_000, 400, 400, 400]);
});

it('keeps paging when MDR silently caps the page size', async () => {
	await mdr.sandbox.control.setConfig({ maxPageSize: 300, pageSizeBehavior: 'clamp' });

	const { items } = await mdr.run({
		resource: 'incident',
		operation: 'getMany',
		limit: 1_000,
	});

	const ids = items.map((item) => item.json.incident_id);
	expect(new Set(ids).size).toBe(1_000);
	const newest = [...expected]
		.sort((a, b) => b.creation_time - a.creation_time || (a.incident_id < b.incident_id ? -1 : 1))
		.slice(0, 1_000)
		.map((incident) => incident.incident_id);
	expect(ids).toEqual(newest);
});

it.each([
	['priority:desc', 'priority'],
	['incident_number:desc', 'incident_number'],
])('returns every incident once past the window in the order %s', async (sort, field) => {
	const rank: Record<string, number> = { HIGH: 3, NORMAL: 2, LOW: 1 };
	const value = (incident: IDataObject) =>
		field === 'priority' ? rank[incident.priority as string] : (incident[field] as number);

	const incidents = await returnAll(sort);

	expectExactlyTheSandboxSet(incidents);
	const outOfOrder = incidents.filter((incident, i) => {
		if (i === 0) return false;
		const previous = incidents[i - 1];
		const step = value(previous) - value(incident);
		return step < 0 || (step === 0 && (incident.creation_time as number) > (previous.creation_time as number));
	});
	expect(outOfOrder).toEqual([]);
	expect(await mdr.sent('incidents/count')).toEqual([{}]);
	expect((await mdr.sent('incidents/list')).every((body) => body.sort === 'creation_time:desc')).toBe(
		true,
	);
});

it('keeps MDR’s own order when the matches fit in the window', async () => {
	const newest = [...expected].sort((a, b) => b.creation_time - a.creation_time);
	const since = newest[5_000].creation_time;

	const { items, error } = await mdr.run({
		resource: 'incident',
		operation: 'getMany',
		returnAll: true,
		sort: 'incident_number:desc',
		filters: { min_creation_time: since },
		simplify: false,
	});

	expect(error).toBeUndefined();
	expect(items.length).toBe(expected.filter((incident) => incident.creation_time >= since).length);
	const numbers = items.map((item) => item.json.incident_number as number);
	expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
	expect(await mdr.sent('incidents/count')).toEqual([{ min_creation_time: since }]);
	expect(new Set((await mdr.sent('incidents/list')).map((body) => body.sort))).toEqual(
		new Set(['incident_number:desc']),
	);
});
