'use strict';

// Incident and asset list filters: the body fields each list accepts, and predicates built from
// them.

const { badRequest } = require('./errors');
const { eachOneOf } = require('./validate');

const PRIORITIES = ['HIGH', 'NORMAL', 'LOW'];
const INCIDENT_STATUSES = ['Open', 'On hold', 'Resolved', 'Closed'];
const RESOLUTIONS = ['', 'True positive', 'False positive'];
const ASSET_STATUSES = ['ABSENT', 'CRITICAL', 'OFFLINE', 'OK', 'WARNING'];

const INCIDENT_FILTERS = {
	affected_hosts: 'string[]',
	asset_ids: 'string[]',
	detection_technologies: 'string[]',
	min_creation_time: 'int',
	max_creation_time: 'int',
	min_update_time: 'int',
	max_update_time: 'int',
	mitre_tactics: 'string[]',
	mitre_techniques: 'string[]',
	priorities: 'string[]',
	resolutions: 'string[]',
	response_statuses: 'string[]',
	response_types: 'string[]',
	search_phrase: 'string',
	statuses: 'string[]',
	tenants_names: 'string[]',
};

const ASSET_FILTERS = {
	domain: 'string',
	host_names: 'string[]',
	is_isolated: 'bool',
	min_first_seen: 'int',
	max_first_seen: 'int',
	min_last_seen: 'int',
	max_last_seen: 'int',
	network_interface: 'string',
	os_version: 'string',
	product: 'string',
	related_incidents_ids: 'string[]',
	search_phrase: 'string',
	statuses: 'string[]',
	tenants_names: 'string[]',
	version: 'int',
};

const lower = (values) => (values ? new Set(values.map((v) => v.toLowerCase())) : null);
const setOf = (values) => (values ? new Set(values) : null);
const within = (value, min, max) =>
	(min === undefined || min === null || value >= min) &&
	(max === undefined || max === null || value <= max);
const techniqueId = (technique) => technique.split(':')[0].trim().toLowerCase();

/** Builds a predicate for incident filters. Time bounds are inclusive. */
function incidentPredicate(body) {
	eachOneOf('priorities', body.priorities, PRIORITIES);
	eachOneOf('statuses', body.statuses, INCIDENT_STATUSES);
	eachOneOf('resolutions', body.resolutions, RESOLUTIONS);

	const hosts = lower(body.affected_hosts);
	const assetIds = lower(body.asset_ids);
	const technologies = setOf(body.detection_technologies);
	const tactics = lower(body.mitre_tactics);
	const techniques = body.mitre_techniques ? new Set(body.mitre_techniques.map(techniqueId)) : null;
	const priorities = setOf(body.priorities);
	const resolutions = setOf(body.resolutions);
	const responseStatuses = setOf(body.response_statuses);
	const responseTypes = setOf(body.response_types);
	const statuses = setOf(body.statuses);
	const tenants = setOf(body.tenants_names);
	const phrase = body.search_phrase ? body.search_phrase.trim().toLowerCase() : '';

	return (inc) =>
		within(inc.creation_time, body.min_creation_time, body.max_creation_time) &&
		within(inc.update_time, body.min_update_time, body.max_update_time) &&
		(!priorities || priorities.has(inc.priority)) &&
		(!statuses || statuses.has(inc.status)) &&
		(!resolutions || resolutions.has(inc.resolution)) &&
		(!tenants || tenants.has(inc.tenant_name)) &&
		(!technologies || technologies.has(inc.detection_technology)) &&
		(!tactics || inc.mitre_tactics.some((t) => tactics.has(t.toLowerCase()))) &&
		(!techniques || inc.mitre_techniques.some((t) => techniques.has(techniqueId(t)))) &&
		(!assetIds ||
			inc.affected_hosts_mappings.some((m) => assetIds.has(String(m.host_id).toLowerCase()))) &&
		(!hosts || matchesHost(inc, hosts)) &&
		(!responseStatuses || inc.responses.some((r) => responseStatuses.has(r.status))) &&
		(!responseTypes || inc.responses.some((r) => responseTypes.has(r.type))) &&
		(!phrase || matchesPhrase(inc, phrase));
}

function matchesHost(inc, hosts) {
	return (
		inc.affected_hosts.some((h) => hosts.has(h.toLowerCase())) ||
		inc.affected_hosts_mappings.some(
			(m) =>
				hosts.has(String(m.host_name).toLowerCase()) || hosts.has(String(m.host_id).toLowerCase()),
		)
	);
}

function matchesPhrase(inc, phrase) {
	const number = String(inc.incident_number);
	return (
		phrase === number ||
		phrase === `k-${number}` ||
		phrase === inc.incident_id.toLowerCase() ||
		inc.summary.toLowerCase().includes(phrase) ||
		inc.description.toLowerCase().includes(phrase)
	);
}

/** Builds a predicate for asset filters; `relatedAssetIds(ids)` resolves related_incidents_ids. */
function assetPredicate(body, relatedAssetIds) {
	eachOneOf('statuses', body.statuses, ASSET_STATUSES);
	if (
		body.version !== undefined &&
		body.version !== null &&
		body.version !== 1 &&
		body.version !== 2
	) {
		throw badRequest("Field 'version' must be 1 or 2");
	}
	const domain = body.domain ? body.domain.toLowerCase() : null;
	const hostNames = lower(body.host_names);
	const statuses = setOf(body.statuses);
	const tenants = setOf(body.tenants_names);
	const related = body.related_incidents_ids ? relatedAssetIds(body.related_incidents_ids) : null;
	const iface = body.network_interface ? body.network_interface.toLowerCase() : null;
	const os = body.os_version ? body.os_version.toLowerCase() : null;
	const product = body.product ? body.product.toLowerCase() : null;
	const phrase = body.search_phrase ? body.search_phrase.toLowerCase() : null;

	return (a) =>
		within(a.first_seen, body.min_first_seen, body.max_first_seen) &&
		within(a.last_seen, body.min_last_seen, body.max_last_seen) &&
		(!domain || a.domain.toLowerCase() === domain) &&
		(!hostNames || hostNames.has(a.host_name.toLowerCase())) &&
		(typeof body.is_isolated !== 'boolean' || a.isolation === body.is_isolated) &&
		(!statuses || statuses.has(a.status)) &&
		(!tenants || tenants.has(a.tenant_name)) &&
		(!related || related.has(a.asset_id)) &&
		(!iface ||
			a.network_interfaces.some(
				(n) => n.ip.toLowerCase().includes(iface) || n.mac.toLowerCase().includes(iface),
			)) &&
		(!os || a.os_version.toLowerCase().includes(os)) &&
		(!product || a.installed_product_info.toLowerCase().includes(product)) &&
		(!phrase ||
			[a.host_name, a.domain, a.asset_id, ...a.network_interfaces.map((n) => n.ip)].some((v) =>
				v.toLowerCase().includes(phrase),
			));
}

module.exports = {
	PRIORITIES,
	INCIDENT_FILTERS,
	ASSET_FILTERS,
	incidentPredicate,
	assetPredicate,
};
