import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { searchIncidents } from '../../nodes/KasperskyMdr/methods/listSearch';
import { getTenants } from '../../nodes/KasperskyMdr/methods/loadOptions';
import { nodeContext } from '../harness/n8n';
import { allIncidents, useSandbox } from './context';

const mdr = useSandbox({ incidents: 120, seed: 23 });

const loadContext = () => nodeContext(mdr.store) as unknown as ILoadOptionsFunctions;

it('the incident picker lists incidents newest first as "K-<number>: <summary>" with their links', async () => {
	const newest = [...(await allIncidents(mdr.sandbox))].sort(
		(a, b) => b.creation_time - a.creation_time || (a.incident_id < b.incident_id ? -1 : 1),
	);

	const first = await searchIncidents.call(loadContext());
	const second = await searchIncidents.call(loadContext(), undefined, first.paginationToken);

	expect(first.results).toHaveLength(50);
	expect(first.results[0]).toEqual({
		name: `K-${newest[0].incident_number}: ${newest[0].summary}`,
		value: newest[0].incident_id,
		url: `https://mdr.kaspersky.com/incidents/${newest[0].incident_id}`,
	});
	expect(first.paginationToken).toBe('2');
	expect(second.results[0].value).toBe(newest[50].incident_id);
});

it('the incident picker searches by number through search_phrase', async () => {
	const [incident] = await allIncidents(mdr.sandbox);

	const found = await searchIncidents.call(loadContext(), `K-${incident.incident_number}`);

	expect(found.results.map((result) => result.value)).toEqual([incident.incident_id]);
	const [request] = await mdr.sandbox.control.getRequests({ path: 'incidents/list', limit: 1 });
	expect(request.body).toMatchObject({ search_phrase: `K-${incident.incident_number}` });
});

it('the tenant list holds every tenant name seen in assets and incidents, sorted', async () => {
	const tenants = (await mdr.sandbox.control.listTenants()) as Array<{ tenant_name: string }>;

	const options = await getTenants.call(loadContext());

	const names = tenants.map((tenant) => tenant.tenant_name).sort((a, b) => a.localeCompare(b));
	expect(options).toEqual(names.map((name) => ({ name, value: name })));
});
