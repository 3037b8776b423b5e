import { allIncidents, byId, byUrl, useSandbox } from './context';

const mdr = useSandbox({ incidents: 60, seed: 7 });

describe('Incident → Get', () => {
	it('sends the incident ID and returns the simplified incident with its web link', async () => {
		const [incident] = await allIncidents(mdr.sandbox);

		const { items, error } = await mdr.run({
			resource: 'incident',
			operation: 'get',
			incidentId: byId(incident.incident_id),
		});

		expect(error).toBeUndefined();
		expect(await mdr.sent('incidents/details')).toEqual([{ incident_id: incident.incident_id }]);
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			incident_id: incident.incident_id,
			incident_number: incident.incident_number,
			name: `K-${incident.incident_number}`,
			summary: incident.summary,
			created_at: new Date(incident.creation_time).toISOString(),
			link: `https://mdr.kaspersky.com/incidents/${incident.incident_id}`,
		});
		expect(items[0].json).not.toHaveProperty('description');
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	it('returns the incident exactly as MDR sent it when Simplify is off', async () => {
		const [, incident] = await allIncidents(mdr.sandbox);

		const { items } = await mdr.run({
			resource: 'incident',
			operation: 'get',
			incidentId: byId(incident.incident_id),
			simplify: false,
		});

		expect(items[0].json).toEqual(JSON.parse(JSON.stringify(incident)));
	});

	it('accepts the incident as a web link', async () => {
		const [, , incident] = await allIncidents(mdr.sandbox);

		const { items } = await mdr.run({
			resource: 'incident',
			operation: 'get',
			incidentId: byUrl(`https://mdr.kaspersky.com/incidents/${incident.incident_id}`),
		});

		expect(items[0].json.incident_id).toBe(incident.incident_id);
	});

	it('names the missing incident when MDR does not know the ID', async () => {
		const { error } = await mdr.run({
			resource: 'incident',
			operation: 'get',
			incidentId: byId('NoSuchIncident000001'),
		});

		expect(error?.message).toBe(
			'MDR answered 404 to incidents/details: Incident NoSuchIncident000001 not found',
		);
		expect(error?.itemIndex).toBe(0);
	});

	it('refuses an empty incident ID before calling MDR', async () => {
		const { error } = await mdr.run({
			resource: 'incident',
			operation: 'get',
			incidentId: byId('={{ $json.id }}'),
		});

		expect(error?.message).toBe('No incident is selected');
		expect(await mdr.sent('incidents/details')).toEqual([]);
	});
});

describe('Incident → Get Many', () => {
	it('converts the filters to MDR fields and dates to 13-digit milliseconds', async () => {
		const { items, error } = await mdr.run({
			resource: 'incident',
			operation: 'getMany',
			limit: 5,
			filters: {
				priorities: ['HIGH', 'NORMAL'],
				statuses: ['Open'],
				min_creation_time: '2020-01-02T03:04:05.678Z',
				max_creation_time: '1893456000000',
				affected_hosts: 'WS-0001, SRV-0002',
				search_phrase: '  ',
			},
			sort: 'creation_time:asc',
		});

		expect(error).toBeUndefined();
		const [body] = await mdr.sent('incidents/list');
		expect(body).toMatchObject({
			priorities: ['HIGH', 'NORMAL'],
			statuses: ['Open'],
			min_creation_time: 1577934245678,
			max_creation_time: 1893456000000,
			affected_hosts: ['WS-0001', 'SRV-0002'],
			sort: 'creation_time:asc',
			page: 1,
			page_size: 5,
		});
		expect(body).not.toHaveProperty('search_phrase');
		expect(items.length).toBeLessThanOrEqual(5);
	});

	it('returns the newest incidents up to the limit, one item each', async () => {
		const incidents = await allIncidents(mdr.sandbox);
		const newest = [...incidents]
			.sort((a, b) => b.creation_time - a.creation_time || (a.incident_id < b.incident_id ? -1 : 1))
			.slice(0, 7)
			.map((incident) => incident.incident_id);

		const { items } = await mdr.run({ resource: 'incident', operation: 'getMany', limit: 7 });

		expect(items.map((item) => item.json.incident_id)).toEqual(newest);
		expect(items.map((item) => item.pairedItem)).toEqual(newest.map(() => ({ item: 0 })));
	});

	it('returns every incident with Return All', async () => {
		const incidents = await allIncidents(mdr.sandbox);

		const { items } = await mdr.run({
			resource: 'incident',
			operation: 'getMany',
			returnAll: true,
			simplify: false,
		});

		expect(items.map((item) => item.json.incident_id).sort()).toEqual(
			incidents.map((incident) => incident.incident_id).sort(),
		);
		expect(items[0].json).toHaveProperty('comments');
	});

	it.each([0, -3])('refuses a limit of %i with a clear message', async (limit) => {
		const { error } = await mdr.run({ resource: 'incident', operation: 'getMany', limit });

		expect(error?.message).toBe(`Limit must be 1 or more (it is ${limit})`);
		expect(await mdr.sent('incidents/list')).toEqual([]);
	});

	it('names the date filter that is not a date', async () => {
		const { error } = await mdr.run({
			resource: 'incident',
			operation: 'getMany',
			filters: { min_update_time: 'yesterday-ish' },
		});

		expect(error?.message).toBe("'Updated After' is not a valid date: 'yesterday-ish'");
		expect(error?.description).toContain('ISO 8601');
	});
});

describe('Incident → Count', () => {
	it('sends the filters and returns the count', async () => {
		const incidents = await allIncidents(mdr.sandbox);
		const high = incidents.filter((incident) => incident.priority === 'HIGH').length;

		const { items } = await mdr.run({
			resource: 'incident',
			operation: 'count',
			filters: { priorities: ['HIGH'] },
		});

		expect(await mdr.sent('incidents/count')).toEqual([{ priorities: ['HIGH'] }]);
		expect(items.map((item) => item.json)).toEqual([{ count: high }]);
	});
});

describe('Incident → Create', () => {
	it('sends summary, description, hosts, priority and tenant and returns the new incident', async () => {
		const tenants = (await mdr.sandbox.control.listTenants()) as Array<{ tenant_id: string }>;
		const assets = (await mdr.sandbox.control.listAssets()) as Array<{ host_name: string }>;

		const { items, error } = await mdr.run({
			resource: 'incident',
			operation: 'create',
			summary: 'Unexpected admin login',
			description: 'Seen at **02:00** on the jump host',
			affectedHosts: `${assets[0].host_name}, ${assets[1].host_name}`,
			additionalFields: { priority: 'HIGH', tenantId: tenants[0].tenant_id },
		});

		expect(error).toBeUndefined();
		expect(await mdr.sent('incidents/create')).toEqual([
			{
				summary: 'Unexpected admin login',
				client_description: 'Seen at **02:00** on the jump host',
				affected_hosts: [assets[0].host_name, assets[1].host_name],
				priority: 'HIGH',
				tenant_id: tenants[0].tenant_id,
			},
		]);
		const created = items[0].json;
		expect(created.summary).toBe('Unexpected admin login');
		expect(created.link).toBe(`https://mdr.kaspersky.com/incidents/${created.incident_id}`);
		const stored = await mdr.sandbox.control.getIncident(created.incident_id as never);
		expect(stored).toMatchObject({ priority: 'HIGH', summary: 'Unexpected admin login' });
	});

	it('refuses an incident without affected hosts before calling MDR', async () => {
		const { error } = await mdr.run({
			resource: 'incident',
			operation: 'create',
			summary: 'x',
			description: 'y',
			affectedHosts: ' , ',
		});

		expect(error?.message).toBe('No affected host is given');
		expect(await mdr.sent('incidents/create')).toEqual([]);
	});
});

describe('Incident → Close', () => {
	it('sends the resolution and summary and the incident ends up closed', async () => {
		const incident = (await allIncidents(mdr.sandbox)).find((entry) => entry.status === 'Open')!;

		const { items, error } = await mdr.run({
			resource: 'incident',
			operation: 'close',
			incidentId: byId(incident.incident_id),
			resolution: 'FALSE_POSITIVE',
			summary: 'Planned penetration test',
		});

		expect(error).toBeUndefined();
		expect(await mdr.sent('incidents/close')).toEqual([
			{
				incident_id: incident.incident_id,
				resolution_status: 'FALSE_POSITIVE',
				summary: 'Planned penetration test',
			},
		]);
		expect(items).toHaveLength(1);
		expect(items[0].json.incident_id).toBe(incident.incident_id);
		const stored = (await mdr.sandbox.control.getIncident(incident.incident_id as never)) as {
			resolution: string;
		};
		expect(stored.resolution).toBe('False positive');
	});
});

describe('Incident → Get History', () => {
	it('reads the history of one incident within a time range', async () => {
		const incident = (await allIncidents(mdr.sandbox)).find((entry) => entry.comments.length > 0)!;

		const { items, error } = await mdr.run({
			resource: 'incident',
			operation: 'getHistory',
			scope: 'incident',
			incidentId: byId(incident.incident_id),
			returnAll: true,
			options: { after: String(incident.creation_time), before: '2100-01-01T00:00:00Z' },
		});

		expect(error).toBeUndefined();
		const [body] = await mdr.sent('incidents/history');
		expect(body).toMatchObject({
			incident_id: incident.incident_id,
			min_record_time: incident.creation_time,
			max_record_time: 4102444800000,
			page: 1,
		});
		const types = items.map((item) => Object.keys(item.json.entity as object)[0]);
		expect(types).toContain('incident_details');
		expect(types).toContain('incident_comment');
	});

	it('reads the history of all incidents when no incident is chosen', async () => {
		const { items } = await mdr.run({
			resource: 'incident',
			operation: 'getHistory',
			scope: 'all',
			limit: 30,
		});

		const [body] = await mdr.sent('incidents/history');
		expect(body).not.toHaveProperty('incident_id');
		expect(items).toHaveLength(30);
	});
});
