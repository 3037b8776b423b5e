import type { INodeProperties } from 'n8n-workflow';

import * as download from './download.operation';
import * as getMany from './getMany.operation';
import * as upload from './upload.operation';
import type { MdrOperation } from '../types';

export const operations: Record<string, MdrOperation> = { download, getMany, upload };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['attachment'] } },
		default: 'getMany',
		options: [
			{
				name: 'Download',
				value: 'download',
				description:
					'Download an incident’s attached file into a binary field, within a size limit',
				action: 'Download an attachment',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the files attached to an incident, with their sizes',
				action: 'Get many attachments',
			},
			{
				name: 'Upload',
				value: 'upload',
				description: 'Attach a file from a binary field to an incident, with a caption',
				action: 'Upload an attachment',
			},
		],
	},
	...download.description,
	...getMany.description,
	...upload.description,
];
