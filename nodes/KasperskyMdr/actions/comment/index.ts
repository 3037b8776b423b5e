import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as deleteComment from './delete.operation';
import * as getMany from './getMany.operation';
import type { MdrOperation } from '../types';

export const operations: Record<string, MdrOperation> = {
	create,
	delete: deleteComment,
	getMany,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['comment'] } },
		default: 'create',
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Add a Markdown comment to an incident (e.g. a ticket link for the SOC)',
				action: 'Create a comment',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a comment this API connection wrote',
				action: 'Delete a comment',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the comments of an incident',
				action: 'Get many comments',
			},
		],
	},
	...create.description,
	...deleteComment.description,
	...getMany.description,
];
