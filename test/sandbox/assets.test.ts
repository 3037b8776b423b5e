import { call, session, start, walk, type SandboxHandle, type Json } from './client';

let sandbox: SandboxHandle;
let token: string;
let assets: Json[];

beforeAll(async () => {
	sandbox = await start({ assets: 40, seed: 5 });
	token = (await session(sandbox)).access_token;
	assets = await sandbox.control.listAssets();
});

afterAll(async () => {
	await sandbox.close();
});

test('assets have the documented shape', () => {
	expect(assets[0]).toEqual({
		asset_id: expect.stringMatching(/^0x[0-9A-F]{32}$/),
		host_name: expect.any(String),
		domain: expect.any(String),
		first_seen: expect.any(Number),
		last_seen: expect.any(Number),
		os_version: expect.any(String),
		installed_product_info: expect.any(String),
		ksc_host_id: expect.any(String),
		tenant_name: expect.any(String),
		isolation: expect.any(Boolean),
		status: expect.stringMatching(/^(ABSENT|CRITICAL|OFFLINE|OK|WARNING)$/),
		status_reasons: expect.any(Array),
		network_interfaces: expect.arrayContaining([
			expect.objectContaining({ ip: expect.any(String), mac: expect.any(String) }),
		]),
	});
});

test('assets/list pages through every asset once, sorted by first_seen descending by default', async () => {
	const all = await walk(sandbox, token, 'assets/list', {}, 7);
	expect(all.map((a) => a.asset_id).sort()).toEqual(assets.map((a) => a.asset_id).sort());
	const seen = all.map((a) => a.first_seen);
	expect(seen).toEqual([...seen].sort((a, b) => b - a));
});

test('filters and count agree', async () => {
	const tenant = assets[0].tenant_name;
	const body = { tenants_names: [tenant], statuses: ['OK', 'WARNING'] };
	const expected = assets.filter(
		(a) => a.tenant_name === tenant && ['OK', 'WARNING'].includes(a.status),
	);
	const listed = await call(
		sandbox,
		'assets/list',
		{ ...body, page_size: 100, fields: ['asset_id'] },
		{ token },
	);
	const counted = await call(sandbox, 'assets/count', body, { token });
	expect(listed.json.map((a: Json) => a.asset_id).sort()).toEqual(
		expected.map((a) => a.asset_id).sort(),
	);
	expect(counted.json).toEqual({ count: expected.length });
});

test('host_names and network_interface find one asset', async () => {
	const target = assets[3];
	const byName = await call(
		sandbox,
		'assets/list',
		{ host_names: [target.host_name.toLowerCase()] },
		{ token },
	);
	const byIp = await call(
		sandbox,
		'assets/list',
		{ network_interface: target.network_interfaces[0].ip, fields: ['asset_id'] },
		{ token },
	);
	expect(byName.json.map((a: Json) => a.asset_id)).toEqual([target.asset_id]);
	expect(byIp.json.map((a: Json) => a.asset_id)).toContain(target.asset_id);
});

test('related_incidents_ids lists the hosts of those incidents', async () => {
	const [incident] = await sandbox.control.listIncidents({
		fields: ['incident_id', 'affected_hosts_mappings'],
	});
	const answer = await call(
		sandbox,
		'assets/list',
		{ related_incidents_ids: [incident.incident_id], fields: ['asset_id'] },
		{ token },
	);
	expect(answer.json.map((a: Json) => a.asset_id).sort()).toEqual(
		incident.affected_hosts_mappings.map((m: Json) => m.host_id).sort(),
	);
});

test('assets/details answers one asset, 404 when unknown', async () => {
	const answer = await call(
		sandbox,
		'assets/details',
		{ asset_id: assets[1].asset_id, fields: ['host_name'] },
		{ token },
	);
	expect(answer.json).toEqual({ host_name: assets[1].host_name });
	expect((await call(sandbox, 'assets/details', { asset_id: '0x00' }, { token })).status).toBe(404);
});

test('visibleTenants limits what the connection sees', async () => {
	const tenant = assets[0].tenant_name;
	const before = await walk(sandbox, token, 'incidents/list', { fields: ['tenant_name'] }, 1000);
	await sandbox.control.setConfig({ visibleTenants: [tenant] });
	const assetCount = (await call(sandbox, 'assets/count', {}, { token })).json.count;
	const incidents = await walk(sandbox, token, 'incidents/list', { fields: ['tenant_name'] }, 1000);
	const hidden = assets.find((a) => a.tenant_name !== tenant);
	const details = await call(sandbox, 'assets/details', { asset_id: hidden.asset_id }, { token });
	await sandbox.control.setConfig({ visibleTenants: null });

	expect(assetCount).toBe(assets.filter((a) => a.tenant_name === tenant).length);
	expect(new Set(before.map((i) => i.tenant_name)).size).toBeGreaterThan(1);
	expect(new Set(incidents.map((i) => i.tenant_name))).toEqual(new Set([tenant]));
	expect(details.status).toBe(404);
});
