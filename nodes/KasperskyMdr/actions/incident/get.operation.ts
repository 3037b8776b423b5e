import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { incidentLocator } from '../../descriptions/incidentLocator';
import { simplifyIncident as simplifyOption } from '../../descriptions/simplify';
import { getIncidentId } from '../../helpers/parameters';
import { simplifyIncident } from '../../helpers/simplify';
import { mdrRequest } from '../../transport/request';

const properties: INodeProperties[] = [
	incidentLocator,
	simplifyOption,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { simplify: [false] } },
		options: [
			{
				displayName: 'Markdown as HTML',
				name: 'markdownToHtml',
				type: 'boolean',
				default: false,
				description: 'Whether MDR should return Markdown texts (description, comments) as HTML',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['incident'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const incidentId = getIncidentId(this, itemIndex);
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const body: IDataObject = { incident_id: incidentId };
	if (!simplify && options.markdownToHtml === true) body.markdown_to_html = true;
	const incident = await mdrRequest<IDataObject>(this, {
		path: 'incidents/details',
		body,
		kind: 'read',
		itemIndex,
	});
	return [{ json: simplify ? simplifyIncident(incident) : incident }];
}
