import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** Incident priorities, highest first, as MDR spells them. */
export const incidentPriorityOptions: INodePropertyOptions[] = [
	{ name: 'High', value: 'HIGH' },
	{ name: 'Normal', value: 'NORMAL' },
	{ name: 'Low', value: 'LOW' },
];

/** Incident statuses, as MDR spells them. */
export const incidentStatusOptions: INodePropertyOptions[] = [
	{ name: 'Closed', value: 'Closed' },
	{ name: 'On Hold', value: 'On hold' },
	{ name: 'Open', value: 'Open' },
	{ name: 'Resolved', value: 'Resolved' },
];

/** The tenant filter of the asset and incident lists; the dropdown offers the tenants MDR knows. */
export function tenantsFilter(objects: 'assets' | 'incidents'): INodeProperties {
	return {
		displayName: 'Tenant Names or IDs',
		name: 'tenants_names',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getTenants' },
		default: [],
		description: `Only ${objects} of these tenants. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
	};
}
