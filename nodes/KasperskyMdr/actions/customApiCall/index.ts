import type { INodeProperties } from 'n8n-workflow';

import * as call from './call.operation';
import type { MdrOperation } from '../types';

export const operations: Record<string, MdrOperation> = { call };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customApiCall'] } },
		default: 'call',
		options: [
			{
				name: 'Call',
				value: 'call',
				description:
					'Call any MDR API method by its path (e.g. incidents/list) with a JSON body, for what the other operations do not cover',
				action: 'Make a custom API call',
			},
		],
	},
	...call.description,
];
