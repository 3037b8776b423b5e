import type { INodeProperties } from 'n8n-workflow';

import * as close from './close.operation';
import * as count from './count.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getHistory from './getHistory.operation';
import * as getMany from './getMany.operation';
import type { MdrOperation } from '../types';

export const operations: Record<string, MdrOperation> = {
	close,
	count,
	create,
	get,
	getHistory,
	getMany,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['incident'] } },
		default: 'getMany',
		options: [
			{
				name: 'Close',
				value: 'close',
				description: 'Close an incident as a true or false positive, with a summary',
				action: 'Close an incident',
			},
			{
				name: 'Count',
				value: 'count',
				description: 'Count the incidents that match filters, without reading them',
				action: 'Count incidents',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Report a new incident to the MDR SOC',
				action: 'Create an incident',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get one incident by its ID',
				action: 'Get an incident',
			},
			{
				name: 'Get History',
				value: 'getHistory',
				description: 'Get the change records of one incident or of all incidents in a time range',
				action: 'Get incident history',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List incidents that match filters (priority, status, tenant, time range…)',
				action: 'Get many incidents',
			},
		],
	},
	...close.description,
	...count.description,
	...create.description,
	...get.description,
	...getHistory.description,
	...getMany.description,
];
