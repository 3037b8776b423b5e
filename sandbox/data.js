'use strict';

// The deterministic seeded incidents, with their comments, attachments and responses, and the
// history those imply (tenants and assets: data-assets.js). Same seed + same anchor time →
// identical data. Times are spread over the ~90 days before the anchor (the sandbox clock's "now"
// at generation unless given).
//
// Incidents are generated in two layers: the eager core (ids, times, status, hosts — all that
// sorting and most filters need) from one stream, and the heavy details (description, IOCs,
// children) lazily from a stream of their own per incident, so they come out the same whenever
// they are first read.

const { createRandom } = require('./random');
const catalog = require('./catalog');
const {
	weighted,
	buildComment,
	buildAttachment,
	buildResponse,
	narrative,
	incidentCore,
} = require('./builders');
const { lazyKey, registerLazy } = require('./lazy');

const DAY = 86400000;
const FIRST_INCIDENT_NUMBER = 10001;
const LAZY_KEYS = [
	'description',
	'iocs',
	'host_based_iocs',
	'network_based_iocs',
	'comments',
	'attachments',
	'responses',
];
const SOC = 'Kaspersky SOC';

// The seed-time facts of each seeded incident, kept for its details and its original history.
const seedFacts = new WeakMap();

function spreadTimes(random, count, from, to, tieRate) {
	const times = new Float64Array(count);
	for (let i = 0; i < count; i++) times[i] = random.int(from, to);
	times.sort();
	// Ties are on purpose: pollers must page and deduplicate correctly when many incidents share
	// the same millisecond.
	for (let i = 1; i < count; i++) if (random.chance(tieRate)) times[i] = times[i - 1];
	return times;
}

function childTimes(random, count, from, to) {
	const times = [];
	for (let i = 0; i < count; i++) times.push(random.int(from, to));
	return times.sort((a, b) => a - b);
}

/** The lazy part of a seeded incident, from its own stream; the same every time it is made. */
function seededDetails(facts, incident) {
	const random = createRandom(facts.shared.seed, `details:${facts.incident_id}`);
	const view = {
		incident_id: facts.incident_id,
		affected_hosts_mappings: facts.host ? [facts.host] : [],
	};
	const ctx = (time) => ({ random, incident: view, time });
	const { creation_time: from, update_time: to } = facts;
	const story = narrative(
		random,
		facts.scenario,
		facts.summary,
		facts.host?.host_name || 'an unknown host',
	);

	const comments = childTimes(random, random.chance(0.6) ? random.int(1, 4) : 0, from, to).map(
		(t) => buildComment(ctx(t)),
	);
	const attachments = childTimes(random, random.chance(0.2) ? random.int(1, 2) : 0, from, to).map(
		(t) => buildAttachment(ctx(t)),
	);
	const pending = facts.shared.pendingStatus();
	const open = facts.status === 'Open' || facts.status === 'On hold';
	const responses = childTimes(random, random.chance(0.4) ? random.int(1, 3) : 0, from, to).map(
		(time) => {
			const status =
				open && random.chance(0.6) ? pending : random.chance(0.7) ? 'Confirmed' : 'Declined';
			const response = buildResponse({ ...ctx(time), status });
			if (status !== pending) response.update_time = random.int(time, to);
			return response;
		},
	);
	return { ...story, comments, attachments, responses };
}

/** A seeded incident from its core, keys in the documented order, the heavy ones lazy. */
function seededIncident(core) {
	const o = {};
	o.incident_id = core.incident_id;
	o.incident_number = core.incident_number;
	o.summary = core.summary;
	lazyKey(o, 'description');
	o.priority = core.priority;
	o.status = core.status;
	o.resolution = core.resolution;
	o.status_description = core.status_description;
	o.affected_hosts = core.affected_hosts;
	o.affected_hosts_mappings = core.affected_hosts_mappings;
	lazyKey(o, 'iocs');
	lazyKey(o, 'host_based_iocs');
	lazyKey(o, 'network_based_iocs');
	o.detection_technology = core.detection_technology;
	o.attack_stage = core.attack_stage;
	o.mitre_tactics = core.mitre_tactics;
	o.mitre_techniques = core.mitre_techniques;
	o.creation_time = core.creation_time;
	o.update_time = core.update_time;
	o.origin = core.origin;
	o.client_description = core.client_description;
	o.tenant_name = core.tenant_name;
	o.was_read = core.was_read;
	o.recommendations = core.recommendations;
	o.client_comment = core.client_comment;
	lazyKey(o, 'comments');
	lazyKey(o, 'attachments');
	lazyKey(o, 'responses');
	return o;
}

/**
 * Generates the seeded incidents. `shared` = { seed, pendingStatus() } is read when details are
 * made; `onMaterialize(incident)` runs once an incident's details exist.
 */
function generateIncidents(
	seed,
	count,
	{ assets, tenants, anchorMs, tieRate, pendingStatus, onMaterialize },
) {
	const random = createRandom(seed, 'incidents');
	const shared = { seed, pendingStatus };
	const creation = spreadTimes(random, count, anchorMs - 90 * DAY, anchorMs - 3600000, tieRate);
	const assetsOf = new Map(
		tenants.map((t) => [t.tenant_name, assets.filter((a) => a.tenant_name === t.tenant_name)]),
	);
	const incidents = [];
	const scenarios = [];
	const ids = new Set();

	for (let i = 0; i < count; i++) {
		const tenant = random.pick(tenants);
		const own = assetsOf.get(tenant.tenant_name);
		const hosts = own.length ? random.pickSome(own, 1, 3) : [];
		const scenario = random.pick(catalog.SCENARIOS);
		scenarios.push(scenario);
		const incident = incidentCore({
			random,
			number: FIRST_INCIDENT_NUMBER + i,
			hosts,
			tenant,
			time: creation[i],
			scenario,
		});
		while (ids.has(incident.incident_id)) incident.incident_id = random.docId();
		ids.add(incident.incident_id);
		if (random.chance(0.7))
			incident.update_time = random.int(
				incident.creation_time,
				Math.min(anchorMs - 1000, incident.creation_time + 30 * DAY),
			);
		const state = weighted(random, [
			['Open', 25],
			['On hold', 10],
			['Resolved', 15],
			['Closed', 50],
		])[0];
		incident.status = state;
		if (state === 'Resolved' || state === 'Closed') {
			incident.resolution = random.chance(0.6) ? 'True positive' : 'False positive';
			incident.status_description = `${incident.resolution} confirmed by the SOC.`;
		}
		incidents.push(incident);
	}

	// Make some update times collide exactly, never earlier than creation.
	const byUpdate = incidents.slice().sort((a, b) => a.update_time - b.update_time);
	for (let i = 1; i < byUpdate.length; i++) {
		const previous = byUpdate[i - 1].update_time;
		if (previous >= byUpdate[i].creation_time && random.chance(tieRate)) {
			byUpdate[i].update_time = previous;
		}
	}

	for (let i = 0; i < count; i++) {
		const incident = incidents[i];
		const facts = {
			shared,
			scenario: scenarios[i],
			host: incident.affected_hosts_mappings[0],
			incident_id: incident.incident_id,
			incident_number: incident.incident_number,
			summary: incident.summary,
			priority: incident.priority,
			status: incident.status,
			resolution: incident.resolution,
			creation_time: incident.creation_time,
			update_time: incident.update_time,
		};
		incidents[i] = seededIncident(incident);
		registerLazy(incidents[i], LAZY_KEYS, seededDetails, facts, onMaterialize);
		seedFacts.set(incidents[i], facts);
	}
	return incidents;
}

/**
 * The history a seeded incident had at seed time, as `[type, operation, changedBy, changedAt,
 * payload]` rows; empty for incidents that were not seeded.
 */
function seededHistory(incident) {
	const facts = seedFacts.get(incident);
	if (!facts) return [];
	const { comments, attachments, responses } = seededDetails(facts, incident);
	const pending = facts.shared.pendingStatus();
	const rows = [
		[
			'incident_details',
			'create',
			SOC,
			facts.creation_time,
			{
				incident_number: facts.incident_number,
				summary: facts.summary,
				priority: facts.priority,
				status: 'Open',
			},
		],
	];
	for (const c of comments) {
		rows.push(['incident_comment', 'create', c.author_name, c.creation_time, c]);
	}
	for (const a of attachments) {
		rows.push(['incident_attachment', 'create', a.author_name, a.creation_time, a]);
	}
	for (const r of responses) {
		rows.push([
			'incident_response',
			'create',
			SOC,
			r.creation_time,
			{ response_id: r.response_id, type: r.type, status: pending },
		]);
		if (r.status !== pending) {
			rows.push([
				'incident_response',
				'update',
				'secops@customer.example',
				r.update_time,
				{ response_id: r.response_id, status: r.status },
			]);
		}
	}
	if (facts.status !== 'Open') {
		rows.push([
			'incident_details',
			'update',
			SOC,
			facts.update_time,
			{ status: facts.status, resolution: facts.resolution },
		]);
	}
	return rows;
}

module.exports = {
	DAY,
	FIRST_INCIDENT_NUMBER,
	SOC,
	generateIncidents,
	seededHistory,
};
