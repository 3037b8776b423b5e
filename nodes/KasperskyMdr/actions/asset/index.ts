import type { INodeProperties } from 'n8n-workflow';

import * as count from './count.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import type { MdrOperation } from '../types';

export const operations: Record<string, MdrOperation> = { count, get, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['asset'] } },
		default: 'getMany',
		options: [
			{
				name: 'Count',
				value: 'count',
				description: 'Count the protected hosts that match filters',
				action: 'Count assets',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get one protected host (asset) by its ID',
				action: 'Get an asset',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List protected hosts (assets) by status, tenant, isolation, host name…',
				action: 'Get many assets',
			},
		],
	},
	...count.description,
	...get.description,
	...getMany.description,
];
