import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { incidentLocator } from '../../descriptions/incidentLocator';
import { returnAllOrLimit } from '../../descriptions/returnAll';
import { getIncidentId, getLimit, toItems, upToLimit } from '../../helpers/parameters';
import { listPaged } from '../../transport/paging';

/** MDR's literal for a response awaiting a decision is not documented: it is anything else. */
const DECIDED = ['Confirmed', 'Declined'];

const properties: INodeProperties[] = [
	incidentLocator,
	...returnAllOrLimit,
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		default: 'any',
		options: [
			{ name: 'Any', value: 'any' },
			{
				name: 'Awaiting Decision',
				value: 'pending',
				description: 'Responses not yet confirmed or declined',
			},
			{ name: 'Confirmed', value: 'Confirmed' },
			{ name: 'Declined', value: 'Declined' },
		],
		description: 'Only responses in this status',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['response'], operation: ['getMany'] } },
	properties,
);

function matches(status: string, response: IDataObject): boolean {
	if (status === 'any') return true;
	if (status === 'pending') return !DECIDED.includes(String(response.status));
	return response.status === status;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const incidentId = getIncidentId(this, itemIndex);
	const limit = getLimit(this, itemIndex);
	const status = this.getNodeParameter('status', itemIndex, 'any') as string;

	// responses/list has no status filter: read them all (an incident has few), then filter.
	const responses = await listPaged(this, {
		path: 'responses/list',
		body: { incident_id: incidentId },
		idField: 'response_id',
		itemIndex,
		noun: 'responses',
	});
	const chosen = responses.filter((response) => matches(status, response));
	return toItems(upToLimit(chosen, limit));
}
