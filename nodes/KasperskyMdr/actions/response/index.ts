import type { INodeProperties } from 'n8n-workflow';

import * as confirm from './confirm.operation';
import * as decline from './decline.operation';
import * as getMany from './getMany.operation';
import type { MdrOperation } from '../types';

export const operations: Record<string, MdrOperation> = {
	confirm: confirm as MdrOperation,
	decline: decline as MdrOperation,
	getMany,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['response'] } },
		default: 'getMany',
		options: [
			{
				name: 'Confirm',
				value: 'confirm',
				description:
					'Approve a response action the SOC proposed (e.g. isolate a host), with a comment',
				action: 'Confirm a response',
			},
			{
				name: 'Decline',
				value: 'decline',
				description: 'Reject a response action the SOC proposed, with a comment',
				action: 'Decline a response',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the response actions of an incident, optionally by status',
				action: 'Get many responses',
			},
		],
	},
	...confirm.description,
	...decline.description,
	...getMany.description,
];
