import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { incidentLocator } from '../../descriptions/incidentLocator';
import { returnAllOrLimit } from '../../descriptions/returnAll';
import { toMillis } from '../../helpers/dates';
import { getIncidentId, getLimit, toItems } from '../../helpers/parameters';
import { listHistory } from '../../transport/paging';

const properties: INodeProperties[] = [
	{
		displayName: 'Scope',
		name: 'scope',
		type: 'options',
		default: 'incident',
		options: [
			{ name: 'One Incident', value: 'incident' },
			{ name: 'All Incidents', value: 'all' },
		],
		description: 'Whether to read the change history of one incident or of every incident',
	},
	{ ...incidentLocator, displayOptions: { show: { scope: ['incident'] } } },
	...returnAllOrLimit,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Changed After',
				name: 'after',
				type: 'dateTime',
				default: '',
				description: 'Only changes made at or after this time (ISO 8601 or milliseconds)',
			},
			{
				displayName: 'Changed Before',
				name: 'before',
				type: 'dateTime',
				default: '',
				description: 'Only changes made at or before this time (ISO 8601 or milliseconds)',
			},
			{
				displayName: 'Ignore Own Changes',
				name: 'ignoreSelf',
				type: 'boolean',
				default: false,
				description: 'Whether to leave out changes made through this API connection',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['incident'], operation: ['getHistory'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const scope = this.getNodeParameter('scope', itemIndex, 'incident') as string;
	const limit = getLimit(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const body: IDataObject = {};
	if (scope === 'incident') body.incident_id = getIncidentId(this, itemIndex);
	if (options.after)
		body.min_record_time = toMillis(this, options.after, 'Changed After', itemIndex);
	if (options.before) {
		body.max_record_time = toMillis(this, options.before, 'Changed Before', itemIndex);
	}
	if (options.ignoreSelf === true) body.ignore_self = true;

	return toItems(await listHistory(this, body, limit, itemIndex));
}
