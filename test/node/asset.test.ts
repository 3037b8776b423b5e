import type { IDataObject } from 'n8n-workflow';

import { useSandbox } from './context';

const mdr = useSandbox({ incidents: 10, assets: 30, seed: 9 });

async function assets(): Promise<IDataObject[]> {
	return (await mdr.sandbox.control.listAssets()) as IDataObject[];
}

it('Asset → Get sends the asset ID and returns the simplified asset', async () => {
	const [asset] = await assets();

	const { items, error } = await mdr.run({
		resource: 'asset',
		operation: 'get',
		assetId: asset.asset_id,
	});

	expect(error).toBeUndefined();
	expect(await mdr.sent('assets/details')).toEqual([{ asset_id: asset.asset_id }]);
	const interfaces = asset.network_interfaces as IDataObject[];
	expect(items[0].json).toEqual({
		asset_id: asset.asset_id,
		host_name: asset.host_name,
		domain: asset.domain,
		status: asset.status,
		status_reasons: asset.status_reasons,
		os_version: asset.os_version,
		product: asset.installed_product_info,
		tenant_name: asset.tenant_name,
		isolated: asset.isolation,
		ip_addresses: interfaces.map((entry) => entry.ip),
		first_seen: new Date(asset.first_seen as number).toISOString(),
		last_seen: new Date(asset.last_seen as number).toISOString(),
	});
});

it('Asset → Get names an asset MDR does not know', async () => {
	const { error } = await mdr.run({ resource: 'asset', operation: 'get', assetId: '0xDEAD' });

	expect(error?.message).toMatch(/^MDR answered 404 to assets\/details/);
});

it('Asset → Get Many sends the filters and returns every matching asset unchanged when Simplify is off', async () => {
	const all = await assets();
	const tenant = all[0].tenant_name as string;
	const expected = all.filter((asset) => asset.tenant_name === tenant && asset.status === 'OK');

	const { items } = await mdr.run({
		resource: 'asset',
		operation: 'getMany',
		returnAll: true,
		filters: { tenants_names: [tenant], statuses: ['OK'], min_last_seen: '2000-01-01T00:00:00Z' },
		sort: 'host_name:asc',
		simplify: false,
	});

	const [body] = await mdr.sent('assets/list');
	expect(body).toMatchObject({
		tenants_names: [tenant],
		statuses: ['OK'],
		min_last_seen: 946684800000,
		sort: 'host_name:asc',
		page: 1,
		page_size: 1000,
	});
	expect(items.map((item) => item.json.asset_id).sort()).toEqual(
		expected.map((asset) => asset.asset_id).sort(),
	);
	expect(items[0].json).toEqual(
		expected.find((asset) => asset.asset_id === items[0].json.asset_id),
	);
});

it('Asset → Count sends the filters and returns the count', async () => {
	const isolated = (await assets()).filter((asset) => asset.isolation === true).length;

	const { items } = await mdr.run({
		resource: 'asset',
		operation: 'count',
		filters: { is_isolated: true },
	});

	expect(await mdr.sent('assets/count')).toEqual([{ is_isolated: true }]);
	expect(items[0].json).toEqual({ count: isolated });
});
