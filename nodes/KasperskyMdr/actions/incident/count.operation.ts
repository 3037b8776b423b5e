import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { incidentFilterBody, incidentFilters } from '../../descriptions/incidentFilters';
import { mdrRequest } from '../../transport/request';

const properties: INodeProperties[] = [incidentFilters];

export const description = updateDisplayOptions(
	{ show: { resource: ['incident'], operation: ['count'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const answer = await mdrRequest<IDataObject>(this, {
		path: 'incidents/count',
		body: incidentFilterBody(this, itemIndex),
		kind: 'read',
		itemIndex,
	});
	return [{ json: { count: answer.count } }];
}
