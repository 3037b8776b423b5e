import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { simplifyAsset as simplifyOption } from '../../descriptions/simplify';
import { requireId } from '../../helpers/parameters';
import { simplifyAsset } from '../../helpers/simplify';
import { mdrRequest } from '../../transport/request';

const properties: INodeProperties[] = [
	{
		displayName: 'Asset ID',
		name: 'assetId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 0x4F1B…',
		description:
			'ID of the asset (asset_id, "0x" and 32 hex digits), as in an incident’s affected hosts',
	},
	simplifyOption,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['asset'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const assetId = requireId(this, 'assetId', 'asset ID', itemIndex);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;

	const asset = await mdrRequest<IDataObject>(this, {
		path: 'assets/details',
		body: { asset_id: assetId },
		kind: 'read',
		itemIndex,
	});
	return [{ json: simplify ? simplifyAsset(asset) : asset }];
}
