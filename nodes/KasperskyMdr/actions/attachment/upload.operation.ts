import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { incidentLocator } from '../../descriptions/incidentLocator';
import { getIncidentId } from '../../helpers/parameters';
import { mdrRequest } from '../../transport/request';

const properties: INodeProperties[] = [
	incidentLocator,
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the input binary field holding the file to upload',
	},
	{
		displayName: 'Caption',
		name: 'caption',
		type: 'string',
		default: '',
		description: 'A short text shown with the file in MDR',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['attachment'], operation: ['upload'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const incidentId = getIncidentId(this, itemIndex);
	const property = (
		this.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string
	).trim();
	const caption = this.getNodeParameter('caption', itemIndex, '') as string;

	const binary = this.getInputData()[itemIndex].binary?.[property];
	if (binary === undefined) {
		const available = Object.keys(this.getInputData()[itemIndex].binary ?? {});
		throw new NodeOperationError(
			this.getNode(),
			`The input item has no binary field '${property}'`,
			{
				itemIndex,
				description: available.length
					? `Its binary fields are: ${available.join(', ')}. Put one of them in Input Binary Field.`
					: 'The item carries no file at all. Read or download the file in an earlier node (e.g. Read/Write Files from Disk, HTTP Request).',
			},
		);
	}
	const data = await this.helpers.getBinaryDataBuffer(itemIndex, property);

	const answer = await mdrRequest<IDataObject>(this, {
		path: 'attachments/upload',
		multipart: {
			file: { data, fileName: binary.fileName ?? 'attachment.bin', mimeType: binary.mimeType },
			meta: { incident_id: incidentId, caption },
		},
		kind: 'write',
		itemIndex,
	});
	return [{ json: { incident_id: incidentId, ...answer } }];
}
