'use strict';

const { badRequest, notFound } = require('../errors');
const { checkBody, oneOf } = require('../validate');
const q = require('../query');
const f = require('../filters');
const { buildIncident } = require('../builders');
const { json, uncertain } = require('./answers');

const RESOLUTIONS = { TRUE_POSITIVE: 'True positive', FALSE_POSITIVE: 'False positive' };

function incidentOr404(store, id) {
	const incident = store.getIncident(id);
	if (!incident) throw notFound(`Incident ${id} not found`);
	return incident;
}

function count({ body, config, store, rejectUnknown }) {
	checkBody(body, f.INCIDENT_FILTERS, { rejectUnknown });
	const predicate = f.incidentPredicate(body);
	const sorted = store.sortedIncidents(
		q.parseSort(undefined, config.defaultIncidentSort, q.INCIDENT_SORT_FIELDS),
	);
	return json({ count: q.countOf(sorted, predicate) });
}

function list({ body, config, store, rejectUnknown }) {
	checkBody(
		body,
		{ ...f.INCIDENT_FILTERS, ...q.LIST_PARAMS, markdown_to_html: 'bool' },
		{ rejectUnknown },
	);
	const sort = q.parseSort(body.sort, config.defaultIncidentSort, q.INCIDENT_SORT_FIELDS);
	const predicate = f.incidentPredicate(body);
	const { page, pageSize, empty } = q.resolvePaging(body, config, { window: true });
	if (empty) return json([]);
	const items = q.pageOf(store.sortedIncidents(sort), predicate, page, pageSize);
	return json(
		items.map((incident) => q.presentIncident(incident, body.fields, body.markdown_to_html)),
	);
}

function details({ body, store, rejectUnknown }) {
	checkBody(
		body,
		{ incident_id: 'string!', fields: 'string[]', markdown_to_html: 'bool' },
		{ rejectUnknown },
	);
	return json(
		q.presentIncident(incidentOr404(store, body.incident_id), body.fields, body.markdown_to_html),
	);
}

/** Maps `HOST-NAME:0x…`, an asset id or a host name to a known asset; unknown hosts stay as given. */
function resolveHost(store, entry) {
	const id = entry.includes(':') ? entry.slice(entry.lastIndexOf(':') + 1) : entry;
	return (
		store.getAsset(id) ||
		store
			.assets()
			.find((a) => a.host_name.toLowerCase() === entry.toLowerCase() && store.getAsset(a.asset_id))
	);
}

function create({ body, config, store, clock, rejectUnknown }) {
	checkBody(
		body,
		{
			summary: 'string!',
			client_description: 'string!',
			affected_hosts: 'string[]!',
			priority: 'string',
			tenant_id: 'string',
			no_sla_flag: 'bool',
			markdown_to_html: 'bool',
		},
		{ rejectUnknown },
	);
	if (body.affected_hosts.length === 0) {
		throw badRequest("Field 'affected_hosts' must not be empty");
	}
	oneOf('priority', body.priority, f.PRIORITIES);

	const assets = body.affected_hosts.map((entry) => resolveHost(store, entry));
	let tenant;
	if (body.tenant_id) {
		tenant = store.tenants().find((t) => t.tenant_id === body.tenant_id);
		if (!tenant) throw badRequest(`Unknown tenant_id ${body.tenant_id}`);
	} else {
		const first = assets.find(Boolean);
		tenant =
			store.tenants().find((t) => t.tenant_name === first?.tenant_name) || store.tenants()[0];
	}

	const now = clock.now();
	const incident = buildIncident(
		{ random: store.random(), number: store.nextIncidentNumber(), assets: [], tenant, time: now },
		{
			summary: body.summary,
			description: '',
			client_description: body.client_description,
			priority: body.priority || 'NORMAL',
			origin: 'Client',
			affected_hosts: body.affected_hosts.map((entry, i) =>
				assets[i] ? `${assets[i].host_name}:${assets[i].asset_id}` : entry,
			),
			affected_hosts_mappings: assets
				.filter(Boolean)
				.map((a) => ({ host_id: a.asset_id, host_name: a.host_name })),
			iocs: [],
			host_based_iocs: [],
			network_based_iocs: [],
			detection_technology: '',
			attack_stage: '',
			mitre_tactics: [],
			mitre_techniques: [],
			recommendations: '',
			was_read: true,
		},
	);
	store.addIncident(incident);
	store.history.add(
		incident.incident_id,
		'incident_details',
		'create',
		config.connectionName,
		now,
		{
			incident_number: incident.incident_number,
			summary: incident.summary,
			priority: incident.priority,
			status: incident.status,
		},
	);
	return json(q.presentIncident(incident, undefined, body.markdown_to_html));
}

function close({ body, config, store, clock, rejectUnknown }) {
	checkBody(
		body,
		{ incident_id: 'string!', resolution_status: 'string!', summary: 'string' },
		{ rejectUnknown },
	);
	oneOf('resolution_status', body.resolution_status, Object.keys(RESOLUTIONS));
	const incident = incidentOr404(store, body.incident_id);
	if (incident.status === 'Closed') {
		throw badRequest(`Incident ${incident.incident_id} is already closed`);
	}

	store.mutate(incident, (inc) => {
		inc.status = 'Closed';
		inc.resolution = RESOLUTIONS[body.resolution_status];
		if (body.summary !== undefined && body.summary !== null) inc.status_description = body.summary;
	});
	store.history.add(
		incident.incident_id,
		'incident_details',
		'update',
		config.connectionName,
		clock.now(),
		{
			status: incident.status,
			resolution: incident.resolution,
			status_description: incident.status_description,
		},
	);
	return uncertain(config, q.presentIncident(incident));
}

function history({ body, config, store, rejectUnknown }) {
	checkBody(
		body,
		{
			incident_id: 'string',
			min_record_time: 'int',
			max_record_time: 'int',
			page: 'int',
			page_size: 'int',
			entity_type_page_size: 'int',
			ignore_self: 'bool',
		},
		{ rejectUnknown },
	);
	if (body.incident_id) incidentOr404(store, body.incident_id);
	const { page, pageSize } = q.resolvePaging(
		{ page: body.page, page_size: body.entity_type_page_size ?? body.page_size },
		config,
	);
	return json(
		store.history.query({
			incidentId: body.incident_id || undefined,
			minTime: body.min_record_time ?? undefined,
			maxTime: body.max_record_time ?? undefined,
			ignoreAuthor: body.ignore_self ? config.connectionName : undefined,
			page,
			pageSize,
			perEntity: config.historyPaging === 'per-entity',
			isVisible: (id) => Boolean(store.getIncident(id)),
		}),
	);
}

module.exports = {
	'incidents/count': { handler: count, auth: true },
	'incidents/list': { handler: list, auth: true },
	'incidents/details': { handler: details, auth: true },
	'incidents/create': { handler: create, auth: true },
	'incidents/close': { handler: close, auth: true },
	'incidents/history': { handler: history, auth: true },
};
