import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { jsonParse, NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { checkCustomPath } from '../../helpers/customPath';
import { mdrDownload, mdrRequest } from '../../transport/request';

const properties: INodeProperties[] = [
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. incidents/list',
		description:
			'The API method under your client, without the API URL or Client ID. Every MDR method is a POST with a JSON body.',
	},
	{
		displayName: 'Body',
		name: 'body',
		type: 'json',
		default: '{}',
		description: 'The JSON object to send, e.g. {"page_size": 10, "priorities": ["HIGH"]}',
	},
	{
		displayName: 'Request Kind',
		name: 'requestKind',
		type: 'options',
		default: 'auto',
		options: [
			{
				name: 'Auto',
				value: 'auto',
				description:
					'Paths ending in list, count, details, history or download are reads; anything else is a change',
			},
			{
				name: 'Read',
				value: 'read',
				description: 'Retried on throttling and temporary failures',
			},
			{
				name: 'Change',
				value: 'write',
				description: 'Sent exactly once, never retried',
			},
		],
	},
	{
		displayName: 'Response Format',
		name: 'responseFormat',
		type: 'options',
		default: 'json',
		options: [
			{ name: 'JSON', value: 'json', description: 'One output item per object in the answer' },
			{ name: 'File', value: 'file', description: 'The raw answer as a binary file' },
		],
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		hint: 'The name of the output binary field to put the answer in',
		displayOptions: { show: { responseFormat: ['file'] } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['customApiCall'], operation: ['call'] } },
	properties,
);

const READ_ACTIONS = /\/(list|count|details|history|download)$/;

function parseBody(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const raw = context.getNodeParameter('body', itemIndex, '{}') as unknown;
	let body: unknown = raw;
	if (typeof raw === 'string') {
		try {
			body = raw.trim() === '' ? {} : jsonParse(raw);
		} catch (error) {
			throw new NodeOperationError(context.getNode(), 'The Body is not valid JSON', {
				itemIndex,
				description: `${(error as Error).message}. Enter a JSON object such as {"incident_id": "…"}.`,
			});
		}
	}
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		throw new NodeOperationError(context.getNode(), 'The Body must be a JSON object', {
			itemIndex,
			description:
				'MDR methods take an object such as {"incident_id": "…"}, not a list or a value.',
		});
	}
	return body as IDataObject;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const path = checkCustomPath(this.getNode(), this.getNodeParameter('path', itemIndex), itemIndex);
	const body = parseBody(this, itemIndex);
	const chosen = this.getNodeParameter('requestKind', itemIndex, 'auto') as string;
	const kind = chosen === 'auto' ? (READ_ACTIONS.test(path) ? 'read' : 'write') : chosen;
	const format = this.getNodeParameter('responseFormat', itemIndex, 'json') as string;
	const request = { path, body, kind: kind as 'read' | 'write', itemIndex };

	if (format === 'file') {
		const property = this.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string;
		const file = await mdrDownload(this, request);
		const binary = await this.helpers.prepareBinaryData(
			file.data,
			file.fileName ?? 'mdr-response',
			file.contentType?.split(';')[0].trim(),
		);
		return [{ json: { path, size: file.data.length }, binary: { [property.trim()]: binary } }];
	}

	const answer = await mdrRequest<unknown>(this, request);
	const list = Array.isArray(answer) ? answer : [answer];
	return list.map((entry) => ({
		json:
			entry !== null && typeof entry === 'object' && !Array.isArray(entry)
				? (entry as IDataObject)
				: { value: entry as IDataObject[keyof IDataObject] },
	}));
}
