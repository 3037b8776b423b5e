import { allIncidents, byId, useSandbox } from './context';

const mdr = useSandbox({ incidents: 10, seed: 19 });

const getIncident = { resource: 'incident', operation: 'get', incidentId: byId('={{ $json.id }}') };

it('processes items in order and pairs every output item with its input item', async () => {
	const incidents = (await allIncidents(mdr.sandbox)).slice(0, 3);

	const { items } = await mdr.run(
		getIncident,
		incidents.map((incident) => ({ json: { id: incident.incident_id } })),
	);

	expect((await mdr.sent('incidents/details')).map((body) => body.incident_id)).toEqual(
		incidents.map((incident) => incident.incident_id),
	);
	expect(items.map((item) => [item.json.incident_id, item.pairedItem])).toEqual(
		incidents.map((incident, index) => [incident.incident_id, { item: index }]),
	);
});

it('with Continue On Fail, turns a failed item into { error } and carries on', async () => {
	const [first, second] = await allIncidents(mdr.sandbox);

	const { items, error } = await mdr.run(
		getIncident,
		[
			{ json: { id: first.incident_id } },
			{ json: { id: 'Unknown000' } },
			{ json: { id: second.incident_id } },
		],
		{ continueOnFail: true },
	);

	expect(error).toBeUndefined();
	expect(items.map((item) => item.json.incident_id ?? item.json.error)).toEqual([
		first.incident_id,
		'MDR answered 404 to incidents/details: Incident Unknown000 not found',
		second.incident_id,
	]);
	expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
});

it('without Continue On Fail, stops at the failed item and names it', async () => {
	const [first, second] = await allIncidents(mdr.sandbox);

	const { error } = await mdr.run(getIncident, [
		{ json: { id: first.incident_id } },
		{ json: { id: 'Unknown000' } },
		{ json: { id: second.incident_id } },
	]);

	expect(error).toMatchObject({
		message: 'MDR answered 404 to incidents/details: Incident Unknown000 not found',
		itemIndex: 1,
	});
	expect((await mdr.sent('incidents/details')).map((body) => body.incident_id)).toEqual([
		first.incident_id,
		'Unknown000',
	]);
});

it('rejects an incident ID with spaces or slashes before calling MDR', async () => {
	const { error } = await mdr.run(getIncident, [{ json: { id: '../../x' } }]);

	expect(error?.message).toBe("'../../x' is not a valid incident ID");
	expect(await mdr.sent('incidents/details')).toEqual([]);
});
