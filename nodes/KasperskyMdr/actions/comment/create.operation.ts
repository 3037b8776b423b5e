import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { incidentLocator } from '../../descriptions/incidentLocator';
import { getIncidentId, requireText } from '../../helpers/parameters';
import { mdrRequest } from '../../transport/request';

const properties: INodeProperties[] = [
	incidentLocator,
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		description:
			'The comment, in Markdown. The SOC sees it with this API connection’s name as the author.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['comment'], operation: ['create'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const incidentId = getIncidentId(this, itemIndex);
	const text = requireText(this, 'text', 'comment text', itemIndex);

	const comment = await mdrRequest<IDataObject>(this, {
		path: 'comments/create',
		body: { incident_id: incidentId, text },
		kind: 'write',
		itemIndex,
	});
	return [{ json: { incident_id: incidentId, ...comment } }];
}
