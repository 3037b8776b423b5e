import type { INodeProperties } from 'n8n-workflow';

export const simplifyIncident: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		'Whether to return a compact incident (ID, number, summary, priority, status, resolution, tenant, affected host names, detection, MITRE, ISO times and the web link) instead of the full object MDR sends',
};

export const simplifyAsset: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		'Whether to return a compact asset (ID, host name, domain, status, OS, product, tenant, isolation, IP addresses, ISO times) instead of the full object MDR sends',
};
