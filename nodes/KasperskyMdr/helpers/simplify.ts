import type { IDataObject } from 'n8n-workflow';

import { toIso } from './dates';

export const INCIDENT_WEB_URL = 'https://mdr.kaspersky.com/incidents/';

export function incidentLink(incidentId: unknown): string {
	return `${INCIDENT_WEB_URL}${encodeURIComponent(String(incidentId))}`;
}

/**
 * The fields an incident keeps when Simplify is on, in the order shown. MDR is asked for exactly
 * these (plus nothing else), which keeps large lists small on the wire.
 */
export const SIMPLE_INCIDENT_FIELDS = [
	'incident_id',
	'incident_number',
	'summary',
	'priority',
	'status',
	'resolution',
	'tenant_name',
	'affected_hosts_mappings',
	'detection_technology',
	'attack_stage',
	'mitre_tactics',
	'mitre_techniques',
	'creation_time',
	'update_time',
];

/** A compact incident: readable times, host names instead of mappings, and the web link. */
export function simplifyIncident(incident: IDataObject): IDataObject {
	const mappings = Array.isArray(incident.affected_hosts_mappings)
		? (incident.affected_hosts_mappings as IDataObject[])
		: [];
	return {
		incident_id: incident.incident_id,
		incident_number: incident.incident_number,
		name: incident.incident_number === undefined ? undefined : `K-${incident.incident_number}`,
		summary: incident.summary,
		priority: incident.priority,
		status: incident.status,
		resolution: incident.resolution,
		tenant_name: incident.tenant_name,
		affected_hosts: mappings.map((mapping) => mapping.host_name ?? mapping.host_id),
		detection_technology: incident.detection_technology,
		attack_stage: incident.attack_stage,
		mitre_tactics: incident.mitre_tactics,
		mitre_techniques: incident.mitre_techniques,
		created_at: toIso(incident.creation_time),
		updated_at: toIso(incident.update_time),
		link: incidentLink(incident.incident_id),
	};
}

export const SIMPLE_ASSET_FIELDS = [
	'asset_id',
	'host_name',
	'domain',
	'status',
	'status_reasons',
	'os_version',
	'installed_product_info',
	'tenant_name',
	'isolation',
	'network_interfaces',
	'first_seen',
	'last_seen',
];

/** A compact asset: readable times and IP addresses instead of full interface records. */
export function simplifyAsset(asset: IDataObject): IDataObject {
	const interfaces = Array.isArray(asset.network_interfaces)
		? (asset.network_interfaces as IDataObject[])
		: [];
	return {
		asset_id: asset.asset_id,
		host_name: asset.host_name,
		domain: asset.domain,
		status: asset.status,
		status_reasons: asset.status_reasons,
		os_version: asset.os_version,
		product: asset.installed_product_info,
		tenant_name: asset.tenant_name,
		isolated: asset.isolation,
		ip_addresses: interfaces.map((networkInterface) => networkInterface.ip).filter(Boolean),
		first_seen: toIso(asset.first_seen),
		last_seen: toIso(asset.last_seen),
	};
}
