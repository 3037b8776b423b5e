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
import { mdrRequest } from '../../transport/request';

const properties: INodeProperties[] = [
	incidentLocator,
	...returnAllOrLimit,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Markdown as HTML',
				name: 'markdownToHtml',
				type: 'boolean',
				default: false,
				description: 'Whether MDR should return comment texts as HTML instead of Markdown',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['comment'], operation: ['getMany'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const incidentId = getIncidentId(this, itemIndex);
	const limit = getLimit(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const body: IDataObject = { incident_id: incidentId };
	if (options.markdownToHtml === true) body.markdown_to_html = true;
	// comments/list is not paged: MDR answers every comment of the incident at once.
	const comments = await mdrRequest<IDataObject[]>(this, {
		path: 'comments/list',
		body,
		kind: 'read',
		itemIndex,
	});
	const list = Array.isArray(comments) ? comments : [];
	return toItems(upToLimit(list, limit));
}
