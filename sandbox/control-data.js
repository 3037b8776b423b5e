'use strict';

// Control-API changes to incidents and their children, for building trigger timelines: any field
// can be set, times included, and a change can be made to reach the list view late.

const builders = require('./builders');
const { SOC } = require('./data');

class ControlError extends Error {
	constructor(status, message) {
		super(message);
		this.status = status;
	}
}

function createControlData({ store, clock, getConfig }) {
	function incidentOr404(id) {
		const incident = store.rawIncident(id);
		if (!incident) throw new ControlError(404, `Incident ${id} not found`);
		return incident;
	}

	function splitOptions(body = {}) {
		const { visibleAfterMs, changed_by, update_time, ...fields } = body;
		return { fields, changedBy: changed_by ?? SOC, updateTime: update_time, visibleAfterMs };
	}

	function tenantFor(name) {
		const tenants = store.allTenants();
		return (
			tenants.find((t) => t.tenant_name === name) ||
			(name ? { tenant_name: name } : store.random().pick(tenants))
		);
	}

	/** A new incident; missing fields are generated, given ones (even ids and times) are kept. */
	function createIncident(body = {}) {
		const { fields, changedBy, updateTime, visibleAfterMs } = splitOptions(body);
		const random = store.random();
		const time = fields.creation_time ?? clock.now();
		if (fields.incident_id && store.rawIncident(fields.incident_id)) {
			throw new ControlError(400, `Incident ${fields.incident_id} already exists`);
		}
		const { comments = [], attachments = [], responses = [], ...rest } = fields;
		const incident = builders.buildIncident(
			{
				random,
				number: rest.incident_number ?? store.nextIncidentNumber(),
				assets: store.assets(),
				tenant: tenantFor(rest.tenant_name),
				time,
			},
			rest,
		);
		incident.update_time = updateTime ?? incident.creation_time;
		const pending = getConfig().pendingResponseStatus;
		const ctx = (over) => ({
			random,
			incident,
			time: over.creation_time ?? incident.creation_time,
		});
		incident.comments = comments.map((c) => builders.buildComment(ctx(c), c));
		incident.attachments = attachments.map((a) => builders.buildAttachment(ctx(a), a));
		incident.responses = responses.map((r) =>
			builders.buildResponse({ ...ctx(r), status: pending }, r),
		);
		store.addIncident(incident, { visibleAfterMs });
		store.history.add(
			incident.incident_id,
			'incident_details',
			'create',
			changedBy,
			incident.creation_time,
			{
				incident_number: incident.incident_number,
				summary: incident.summary,
				priority: incident.priority,
				status: incident.status,
			},
		);
		return incident;
	}

	/** Changes fields; update_time becomes now unless given. */
	function updateIncident(id, body = {}) {
		const incident = incidentOr404(id);
		const { fields, changedBy, updateTime, visibleAfterMs } = splitOptions(body);
		for (const key of ['incident_id', 'incident_number']) {
			if (key in fields && fields[key] !== incident[key]) {
				throw new ControlError(400, `${key} cannot be changed`);
			}
		}
		store.mutate(incident, (inc) => Object.assign(inc, fields), { updateTime, visibleAfterMs });
		store.history.add(
			id,
			'incident_details',
			'update',
			changedBy,
			incident.update_time,
			structuredClone(fields),
		);
		return incident;
	}

	/** Adds a child (comment, attachment, response) and bumps the incident's update_time. */
	function addChild(id, body, collection, type, build) {
		const incident = incidentOr404(id);
		const { fields, changedBy, updateTime, visibleAfterMs } = splitOptions(body);
		const time = fields.creation_time ?? clock.now();
		const child = build({ random: store.random(), incident, time }, fields);
		store.mutate(incident, (inc) => inc[collection].push(child), {
			updateTime: updateTime ?? Math.max(clock.now(), time),
			visibleAfterMs,
		});
		store.history.add(
			id,
			type,
			'create',
			fields.author_name ?? changedBy,
			time,
			structuredClone(child),
		);
		return child;
	}

	function addComment(id, body = {}) {
		if (typeof body.text !== 'string') throw new ControlError(400, 'text is required');
		return addChild(id, body, 'comments', 'incident_comment', builders.buildComment);
	}

	function addResponse(id, body = {}) {
		const status = body.status ?? getConfig().pendingResponseStatus;
		return addChild(id, body, 'responses', 'incident_response', (ctx, fields) =>
			builders.buildResponse({ ...ctx, status }, fields),
		);
	}

	/**
	 * `{full_name, content (base64) | size, …}`: with only a size the bytes are generated on download.
	 * `unlistedSize: true` leaves `file_size` out of the listed attachment, as a server might.
	 */
	function addAttachment(id, body = {}) {
		const { content, size, unlistedSize, ...rest } = body;
		if (typeof rest.full_name !== 'string') throw new ControlError(400, 'full_name is required');
		const buffer = typeof content === 'string' ? Buffer.from(content, 'base64') : null;
		if (!buffer && !(Number.isSafeInteger(size) && size >= 0)) {
			throw new ControlError(400, 'give content (base64) or size');
		}
		const attachment = addChild(
			id,
			{ ...rest, file_size: buffer ? buffer.length : size },
			'attachments',
			'incident_attachment',
			builders.buildAttachment,
		);
		if (buffer) store.setContent(attachment.attachment_id, buffer);
		if (unlistedSize === true) delete attachment.file_size;
		return attachment;
	}

	/** Changes a response; its update_time and its incident's become now unless given. */
	function updateResponse(responseId, body = {}) {
		const found = store.locateResponse(responseId);
		if (!found) throw new ControlError(404, `Response ${responseId} not found`);
		const { incident, item: response } = found;
		const incidentId = incident.incident_id;
		const { fields, changedBy, updateTime, visibleAfterMs } = splitOptions(body);
		const now = updateTime ?? clock.now();
		store.mutate(incident, () => Object.assign(response, { update_time: now }, fields), {
			updateTime: now,
			visibleAfterMs,
		});
		store.history.add(
			incidentId,
			'incident_response',
			'update',
			changedBy,
			now,
			structuredClone({ response_id: responseId, ...fields }),
		);
		return response;
	}

	/** Every incident, all tenants, current versions, by incident_number; no paging window. */
	function listIncidents({ fields } = {}) {
		const wanted =
			typeof fields === 'string'
				? fields
						.split(',')
						.map((f) => f.trim())
						.filter(Boolean)
				: fields;
		const all = store
			.allIncidents()
			.sort(
				(a, b) => a.incident_number - b.incident_number || (a.incident_id < b.incident_id ? -1 : 1),
			);
		if (!wanted || wanted.length === 0) return all;
		return all.map((incident) => {
			const out = {};
			for (const field of wanted) if (field in incident) out[field] = incident[field];
			return out;
		});
	}

	function getIncident(id) {
		const record = store.rawRecord(id);
		if (!record) throw new ControlError(404, `Incident ${id} not found`);
		return record.incident;
	}

	return {
		createIncident,
		updateIncident,
		addComment,
		addResponse,
		addAttachment,
		updateResponse,
		listIncidents,
		getIncident,
	};
}

module.exports = { createControlData, ControlError };
