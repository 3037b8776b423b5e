'use strict';

const { badRequest, notFound } = require('../errors');
const { checkBody } = require('../validate');
const q = require('../query');
const { json, uncertain } = require('./answers');

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
		incident.comments.map((c) =>
			q.project(body.markdown_to_html ? q.commentHtml(c) : c, body.fields),
		),
	);
}

/** A comment made through the API carries the connection's name as author and origin 'Client'. */
function create({ body, config, store, clock, rejectUnknown }) {
	checkBody(
		body,
		{ incident_id: 'string!', text: 'string!', markdown_to_html: 'bool' },
		{ rejectUnknown },
	);
	const incident = incidentOr404(store, body.incident_id);
	const comment = {
		comment_id: store.random().docId(),
		author_name: config.connectionName,
		text: body.text,
		creation_time: clock.now(),
		origin: 'Client',
		was_read: true,
	};
	store.mutate(incident, (inc) => inc.comments.push(comment));
	store.history.add(
		incident.incident_id,
		'incident_comment',
		'create',
		config.connectionName,
		comment.creation_time,
		comment,
	);
	return json(body.markdown_to_html ? q.commentHtml(comment) : comment);
}

/** Only comments this API connection wrote can be deleted. */
function remove({ body, config, store, clock, rejectUnknown }) {
	checkBody(body, { comment_id: 'string!' }, { rejectUnknown });
	const found = store.findComment(body.comment_id);
	if (!found) throw notFound(`Comment ${body.comment_id} not found`);
	if (found.item.author_name !== config.connectionName) {
		throw badRequest(
			`Comment ${body.comment_id} was written by someone else and cannot be deleted through this API connection`,
		);
	}
	store.mutate(found.incident, (inc) => {
		inc.comments = inc.comments.filter((c) => c.comment_id !== body.comment_id);
	});
	store.forgetComment(body.comment_id);
	store.history.add(
		found.incident.incident_id,
		'incident_comment',
		'delete',
		config.connectionName,
		clock.now(),
		{
			comment_id: body.comment_id,
		},
	);
	return uncertain(config, { comment_id: body.comment_id, deleted: true });
}

module.exports = {
	'comments/list': { handler: list, auth: true },
	'comments/create': { handler: create, auth: true },
	'comments/delete': { handler: remove, auth: true },
};
