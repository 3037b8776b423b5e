import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { mdrRequest } from '../transport/request';

/**
 * The tenants this API connection sees. MDR has no tenant list method, so the names are
 * collected from assets and recent incidents (one page of each).
 */
export async function getTenants(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const fields = ['tenant_name'];
	const [assets, incidents] = await Promise.all([
		mdrRequest<IDataObject[]>(this, {
			path: 'assets/list',
			body: { fields, page: 1, page_size: 1000 },
			kind: 'read',
		}),
		mdrRequest<IDataObject[]>(this, {
			path: 'incidents/list',
			body: { fields, page: 1, page_size: 1000, sort: 'creation_time:desc' },
			kind: 'read',
		}),
	]);
	const names = new Set<string>();
	for (const entry of [...(assets ?? []), ...(incidents ?? [])]) {
		if (typeof entry?.tenant_name === 'string' && entry.tenant_name !== '') {
			names.add(entry.tenant_name);
		}
	}
	return [...names].sort((a, b) => a.localeCompare(b)).map((name) => ({ name, value: name }));
}
