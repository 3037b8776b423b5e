import type { INodeProperties } from 'n8n-workflow';

import * as asset from './asset';
import * as attachment from './attachment';
import * as comment from './comment';
import * as customApiCall from './customApiCall';
import * as incident from './incident';
import * as response from './response';

/** Every parameter of the node: the resource selector, then each resource's operations. */
export const properties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		default: 'incident',
		options: [
			{
				name: 'Asset',
				value: 'asset',
				description: 'A host protected by MDR',
			},
			{
				name: 'Attachment',
				value: 'attachment',
				description: 'A file attached to an incident',
			},
			{
				name: 'Comment',
				value: 'comment',
				description: 'A message on an incident, between you and the SOC',
			},
			{
				name: 'Custom API Call',
				value: 'customApiCall',
				description: 'Any other MDR API method',
			},
			{
				name: 'Incident',
				value: 'incident',
				description: 'A threat the MDR SOC detected, or one you reported',
			},
			{
				name: 'Response',
				value: 'response',
				description: 'An action the SOC proposes on an incident, for you to confirm or decline',
			},
		],
	},
	...asset.description,
	...attachment.description,
	...comment.description,
	...customApiCall.description,
	...incident.description,
	...response.description,
];
