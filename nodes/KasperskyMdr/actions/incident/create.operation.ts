import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { incidentPriorityOptions } from '../../descriptions/options';
import { requireText, toList } from '../../helpers/parameters';
import { incidentLink } from '../../helpers/simplify';
import { mdrRequest } from '../../transport/request';

const properties: INodeProperties[] = [
	{
		displayName: 'Summary',
		name: 'summary',
		type: 'string',
		required: true,
		default: '',
		description: 'One-line title of the incident',
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		description: 'What happened and what you want the SOC to look at, in Markdown',
	},
	{
		displayName: 'Affected Hosts',
		name: 'affectedHosts',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. WS-0001, SRV-0042',
		description: 'Hosts involved, as host names or asset IDs (0x…), separated by commas',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'No SLA',
				name: 'noSla',
				type: 'boolean',
				default: false,
				description: 'Whether the SOC should handle the incident without SLA timers',
			},
			{
				displayName: 'Priority',
				name: 'priority',
				type: 'options',
				default: 'NORMAL',
				description: 'How urgently the SOC should look at the incident',
				options: incidentPriorityOptions,
			},
			{
				displayName: 'Tenant ID',
				name: 'tenantId',
				type: 'string',
				default: '',
				description: 'The tenant the incident belongs to, when the API connection sees several',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['incident'], operation: ['create'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const summary = requireText(this, 'summary', 'summary', itemIndex);
	const hosts = toList(this.getNodeParameter('affectedHosts', itemIndex, ''));
	if (hosts.length === 0) {
		throw new NodeOperationError(this.getNode(), 'No affected host is given', {
			itemIndex,
			description: 'Enter at least one host name or asset ID in Affected Hosts; MDR requires it.',
		});
	}
	const details = requireText(this, 'description', 'description', itemIndex);
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;

	const body: IDataObject = { summary, client_description: details, affected_hosts: hosts };
	if (fields.priority) body.priority = fields.priority;
	if (typeof fields.tenantId === 'string' && fields.tenantId.trim() !== '') {
		body.tenant_id = fields.tenantId.trim();
	}
	if (fields.noSla === true) body.no_sla_flag = true;

	const incident = await mdrRequest<IDataObject>(this, {
		path: 'incidents/create',
		body,
		kind: 'write',
		itemIndex,
	});
	const link = incident.incident_id ? { link: incidentLink(incident.incident_id) } : {};
	return [{ json: { ...incident, ...link } }];
}
