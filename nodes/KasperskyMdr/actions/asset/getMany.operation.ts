import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { assetFilterBody, assetFilters, assetSort } from '../../descriptions/assetFilters';
import { returnAllOrLimit } from '../../descriptions/returnAll';
import { simplifyAsset as simplifyOption } from '../../descriptions/simplify';
import { getLimit, toItems } from '../../helpers/parameters';
import { SIMPLE_ASSET_FIELDS, simplifyAsset } from '../../helpers/simplify';
import { listPaged } from '../../transport/paging';

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	assetFilters,
	assetSort,
	simplifyOption,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['asset'], operation: ['getMany'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const limit = getLimit(this, itemIndex);
	const sort = this.getNodeParameter('sort', itemIndex, 'first_seen:desc') as string;
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;

	const body: IDataObject = { ...assetFilterBody(this, itemIndex), sort };
	if (simplify) body.fields = SIMPLE_ASSET_FIELDS;
	const [field, direction] = sort.split(':');
	const timeKey =
		field === 'first_seen' || field === 'last_seen'
			? {
					field,
					direction: direction === 'asc' ? ('asc' as const) : ('desc' as const),
					minParam: `min_${field}`,
					maxParam: `max_${field}`,
				}
			: undefined;
	const assets = await listPaged(this, {
		path: 'assets/list',
		body,
		idField: 'asset_id',
		limit,
		timeKey,
		itemIndex,
		noun: 'assets',
	});
	return toItems(simplify ? assets.map(simplifyAsset) : assets);
}
