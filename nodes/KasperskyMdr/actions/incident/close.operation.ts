import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { incidentLocator } from '../../descriptions/incidentLocator';
import { answerOrDefault, getIncidentId, requireText } from '../../helpers/parameters';
import { mdrRequest } from '../../transport/request';

const properties: INodeProperties[] = [
	incidentLocator,
	{
		displayName: 'Resolution',
		name: 'resolution',
		type: 'options',
		required: true,
		default: 'TRUE_POSITIVE',
		options: [
			{
				name: 'True Positive',
				value: 'TRUE_POSITIVE',
				description: 'The activity was a real threat',
			},
			{
				name: 'False Positive',
				value: 'FALSE_POSITIVE',
				description: 'The activity was legitimate',
			},
		],
	},
	{
		displayName: 'Summary',
		name: 'summary',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '',
		description: 'Why the incident is closed; the SOC sees this text',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['incident'], operation: ['close'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const incidentId = getIncidentId(this, itemIndex);
	const resolution = this.getNodeParameter('resolution', itemIndex) as string;
	const summary = requireText(this, 'summary', 'summary', itemIndex);

	const answer = await mdrRequest<unknown>(this, {
		path: 'incidents/close',
		body: { incident_id: incidentId, resolution_status: resolution, summary },
		kind: 'write',
		itemIndex,
	});
	return [
		{
			json: answerOrDefault(answer, {
				incident_id: incidentId,
				closed: true,
				resolution_status: resolution,
			}),
		},
	];
}
