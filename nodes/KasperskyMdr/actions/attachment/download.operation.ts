import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { incidentLocator } from '../../descriptions/incidentLocator';
import { formatBytes, listAttachments } from '../../helpers/attachments';
import { getIncidentId, requireId } from '../../helpers/parameters';
import { mdrDownload } from '../../transport/request';

const properties: INodeProperties[] = [
	incidentLocator,
	{
		displayName: 'Attachment ID',
		name: 'attachmentId',
		type: 'string',
		required: true,
		default: '',
		description: 'ID of the attachment to download (attachment_id), from Get Many attachments',
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the output binary field to put the file in',
	},
	{
		displayName: 'Max File Size (MB)',
		name: 'maxFileSizeMb',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 50,
		description:
			'Larger attachments are refused before any byte is downloaded (when MDR does not list the size, the file is checked once it arrived). MDR attachments can be several GB, and n8n holds the file in memory. 0 means no limit.',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['attachment'], operation: ['download'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const incidentId = getIncidentId(this, itemIndex);
	const attachmentId = requireId(this, 'attachmentId', 'attachment ID', itemIndex);
	const property = (
		this.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string
	).trim();
	const maxMb = this.getNodeParameter('maxFileSizeMb', itemIndex, 50) as number;

	const attachments = await listAttachments(this, incidentId, itemIndex);
	const attachment = attachments.find((entry) => entry.attachment_id === attachmentId);
	if (attachment === undefined) {
		throw new NodeOperationError(
			this.getNode(),
			`Incident ${incidentId} has no attachment with ID ${attachmentId}`,
			{ itemIndex, description: 'Use Get Many attachments of this incident to find the right ID.' },
		);
	}

	const maxBytes = maxMb > 0 ? Math.round(maxMb * 1024 * 1024) : Infinity;
	const listed = attachment.file_size;
	const listedSize =
		listed === undefined || listed === null || listed === '' ? undefined : Number(listed);
	const oversized = (size: number, downloaded: boolean) =>
		new NodeOperationError(
			this.getNode(),
			`The attachment '${attachment.full_name}' is ${formatBytes(size)}, over the Max File Size of ${maxMb} MB`,
			{
				itemIndex,
				description: `${downloaded ? 'MDR did not list its size, so it was downloaded, then dropped.' : 'Nothing was downloaded.'} Raise Max File Size if n8n has the memory for it, or download the file in the MDR Web Console.`,
			},
		);
	if (listedSize !== undefined && listedSize > maxBytes) throw oversized(listedSize, false);

	const file = await mdrDownload(this, {
		path: 'attachments/download',
		body: { attachment_id: attachmentId },
		kind: 'read',
		itemIndex,
	});
	if (file.data.length > maxBytes) throw oversized(file.data.length, true);

	const fileName = String(attachment.full_name || file.fileName || `${attachmentId}.bin`);
	const mimeType = file.contentType?.split(';')[0].trim();
	const binary = await this.helpers.prepareBinaryData(
		file.data,
		fileName,
		mimeType && mimeType !== 'application/octet-stream' ? mimeType : undefined,
	);
	return [{ json: { ...attachment, incident_id: incidentId }, binary: { [property]: binary } }];
}
