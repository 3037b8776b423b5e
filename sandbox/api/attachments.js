'use strict';

const { badRequest, notFound } = require('../errors');
const { checkBody } = require('../validate');
const q = require('../query');
const { syntheticContent } = require('../attachment-content');
const { json, bytes, stream } = require('./answers');

function incidentOr404(store, id) {
	const incident = store.getIncident(id);
	if (!incident) throw notFound(`Incident ${id} not found`);
	return incident;
}

function list({ body, store, rejectUnknown }) {
	checkBody(
		body,
		{ incident_id: 'string!', fields: 'string[]', markdown_to_html: 'bool' },
		{ rejectUnknown },
	);
	const incident = incidentOr404(store, body.incident_id);
	return json(
		incident.attachments.map((a) =>
			q.project(body.markdown_to_html ? q.attachmentHtml(a) : a, body.fields),
		),
	);
}

/** The raw file bytes, not JSON. */
function download({ body, store, rejectUnknown }) {
	checkBody(body, { attachment_id: 'string!' }, { rejectUnknown });
	const found = store.findAttachment(body.attachment_id);
	if (!found) throw notFound(`Attachment ${body.attachment_id} not found`);
	const { attachment_id, full_name, file_size } = found.item;
	const content = store.content(attachment_id) ?? syntheticContent(attachment_id, file_size);
	return Buffer.isBuffer(content)
		? bytes(content, full_name)
		: stream(content, file_size, full_name);
}

function metaOf(parts) {
	const part = parts.find((p) => p.name === 'meta');
	if (!part) throw badRequest("Part 'meta' is required");
	let meta;
	try {
		meta = JSON.parse(part.data.toString('utf8'));
	} catch {
		throw badRequest("Part 'meta' must be a JSON string");
	}
	if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) {
		throw badRequest("Part 'meta' must be a JSON object");
	}
	checkBody(meta, { incident_id: 'string!', caption: 'string' });
	return meta;
}

/**
 * multipart/form-data with a `file` part and a `meta` part holding `{incident_id, caption}` as a
 * JSON string. Answers the new attachment's summary (the attachment object).
 */
function upload({ parts, config, store, clock }) {
	const meta = metaOf(parts);
	const file = parts.find((p) => p.name === 'file');
	if (!file) throw badRequest("Part 'file' is required");
	const incident = incidentOr404(store, meta.incident_id);

	const attachment_id = store.random().docId();
	const attachment = {
		attachment_id,
		author_name: config.connectionName,
		caption: meta.caption ?? '',
		creation_time: clock.now(),
		file_size: file.data.length,
		full_name: file.filename || 'attachment.bin',
		link: `https://mdr.kaspersky.com/incidents/${incident.incident_id}/attachments/${attachment_id}`,
		origin: 'Client',
		was_read: true,
	};
	// Copy: the part is a view into the request body buffer.
	store.setContent(attachment_id, Buffer.from(file.data));
	store.mutate(incident, (inc) => inc.attachments.push(attachment));
	store.history.add(
		incident.incident_id,
		'incident_attachment',
		'create',
		config.connectionName,
		attachment.creation_time,
		attachment,
	);
	return json(attachment);
}

module.exports = {
	'attachments/list': { handler: list, auth: true },
	'attachments/download': { handler: download, auth: true },
	'attachments/upload': { handler: upload, auth: true, multipart: true },
};
