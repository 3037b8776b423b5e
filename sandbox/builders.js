'use strict';

// Builders for single objects: incidents, comments, attachments, responses. The seeded data set
// and the control API both use them; each draws from the random stream it is given.

const catalog = require('./catalog');

// Shared strings keep a 25,000-incident data set small; nothing edits them in place.
const RESPONSE_DESCRIPTIONS = Object.fromEntries(
	catalog.RESPONSE_TYPES.map((type) => [
		type,
		`The SOC proposes **${type.toLowerCase().replace(/_/g, ' ')}** to contain the threat.`,
	]),
);
const SCRIPT_PARAMETERS = Object.freeze({ script: 'Get-Process | Export-Csv processes.csv' });
const RECOMMENDATIONS =
	'1. Isolate the host.\n2. Reset the credentials of the affected accounts.\n3. Collect a memory image.';

function weighted(random, entries) {
	const total = entries.reduce((sum, entry) => sum + entry[1], 0);
	let roll = random.next() * total;
	for (const entry of entries) {
		roll -= entry[1];
		if (roll < 0) return entry;
	}
	return entries[entries.length - 1];
}

/** A comment; `ctx` = { random, incident, time }. */
function buildComment({ random, incident, time }, overrides = {}) {
	const soc = random.chance(0.8);
	const host = incident.affected_hosts_mappings[0]?.host_name || 'the host';
	const text = random.pick(catalog.COMMENT_TEXTS);
	return {
		comment_id: random.docId(),
		author_name: soc ? random.pick(catalog.SOC_AUTHORS) : random.pick(catalog.CLIENT_AUTHORS),
		text: text.includes('{host}') ? text.replace('{host}', host) : text,
		creation_time: time,
		origin: soc ? 'Service' : 'Client',
		was_read: random.chance(0.7),
		...overrides,
	};
}

function buildAttachment({ random, incident, time }, overrides = {}) {
	const attachment_id = overrides.attachment_id ?? random.docId();
	const name = random.pick(catalog.ATTACHMENT_NAMES);
	return {
		attachment_id,
		author_name: random.pick(catalog.SOC_AUTHORS),
		caption: `Collected ${name} for review`,
		creation_time: time,
		file_size: random.int(64, 96 * 1024),
		full_name: name,
		link: `https://mdr.kaspersky.com/incidents/${incident.incident_id}/attachments/${attachment_id}`,
		origin: 'Service',
		was_read: random.chance(0.6),
		...overrides,
	};
}

/** A response; `ctx` = { random, incident, time, status }. */
function buildResponse({ random, incident, time, status }, overrides = {}) {
	const type = random.pick(catalog.RESPONSE_TYPES);
	const host = incident.affected_hosts_mappings[0] || { host_id: null, host_name: '' };
	return {
		response_id: `MDR_${random.uuid()}`,
		type,
		details: `${type} on ${host.host_name}`,
		parameters: type === 'RUN_SCRIPT' ? SCRIPT_PARAMETERS : { target: host.host_name },
		asset_id: host.host_id,
		status,
		comment: '',
		description: RESPONSE_DESCRIPTIONS[type],
		creation_time: time,
		update_time: time,
		was_read: random.chance(0.5),
		...overrides,
	};
}

/** The description and IOCs of an incident from its scenario. */
function narrative(random, scenario, summary, hostName) {
	const md5 = random.hex(32);
	const c2 = `${random.pick(['cdn', 'update', 'api', 'static'])}-${random.hex(6)}.${random.pick(['com', 'net', 'top', 'xyz'])}`;
	const host_based_iocs = [{ type: 'MD5', value: md5 }, scenario.processIoc];
	const network_based_iocs = [{ type: 'DOMAIN', value: c2 }];
	return {
		description:
			`## ${summary}\n\nThe SOC detected the following activity on **${hostName}**:\n\n` +
			`- process: \`${scenario.process}\`\n- file MD5: \`${md5}\`\n- contacted: ${c2}\n\n` +
			`Detected by ${scenario.technology} at the *${scenario.stage}* stage.`,
		iocs: host_based_iocs.concat(network_based_iocs),
		host_based_iocs,
		network_based_iocs,
	};
}

/**
 * The eager part of an incident, keys in the documented order. The heavy keys (description, IOCs,
 * children) are present but undefined: the caller fills them in, now or lazily.
 */
function incidentCore({ random, number, hosts, tenant, time, scenario }) {
	const summary = scenario.summary.replace('{host}', hosts[0]?.host_name || 'an unknown host');
	return {
		incident_id: random.docId(),
		incident_number: number,
		summary,
		description: undefined,
		priority: weighted(random, [
			['HIGH', 15],
			['NORMAL', 55],
			['LOW', 30],
		])[0],
		status: 'Open',
		resolution: '',
		status_description: '',
		affected_hosts: hosts.map((h) => `${h.host_name}:${h.asset_id}`),
		affected_hosts_mappings: hosts.map((h) => ({ host_id: h.asset_id, host_name: h.host_name })),
		iocs: undefined,
		host_based_iocs: undefined,
		network_based_iocs: undefined,
		detection_technology: scenario.technology,
		attack_stage: scenario.stage,
		mitre_tactics: scenario.tactics,
		mitre_techniques: scenario.techniques,
		creation_time: time,
		update_time: time,
		origin: 'Service',
		client_description: '',
		tenant_name: tenant.tenant_name,
		was_read: random.chance(0.6),
		recommendations: RECOMMENDATIONS,
		client_comment: '',
		comments: undefined,
		attachments: undefined,
		responses: undefined,
	};
}

/**
 * A complete incident without children, for the control API and incidents/create;
 * `ctx` = { random, number, assets, tenant, time }, the affected hosts drawn from the tenant's assets.
 */
function buildIncident({ random, number, assets, tenant, time }, overrides = {}) {
	const scenario = random.pick(catalog.SCENARIOS);
	const own = assets.filter((a) => a.tenant_name === tenant.tenant_name);
	const hosts = own.length ? random.pickSome(own, 1, 3) : [];
	const core = incidentCore({ random, number, hosts, tenant, time, scenario });
	const story = narrative(random, scenario, core.summary, hosts[0]?.host_name || 'an unknown host');
	return { ...core, ...story, comments: [], attachments: [], responses: [], ...overrides };
}

module.exports = {
	weighted,
	buildComment,
	buildAttachment,
	buildResponse,
	narrative,
	incidentCore,
	buildIncident,
};
