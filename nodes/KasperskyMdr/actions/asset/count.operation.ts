import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { assetFilterBody, assetFilters } from '../../descriptions/assetFilters';
import { mdrRequest } from '../../transport/request';

const properties: INodeProperties[] = [assetFilters];

export const description = updateDisplayOptions(
	{ show: { resource: ['asset'], operation: ['count'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const answer = await mdrRequest<IDataObject>(this, {
		path: 'assets/count',
		body: assetFilterBody(this, itemIndex),
		kind: 'read',
		itemIndex,
	});
	return [{ json: { count: answer.count } }];
}
