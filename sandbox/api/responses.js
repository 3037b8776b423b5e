'use strict';

const { badRequest, notFound } = require('../errors');
const { checkBody, oneOf } = require('../validate');
const q = require('../query');
const { json, uncertain } = require('./answers');

const DECISIONS = ['Confirmed', 'Declined'];

function list({ body, config, store, rejectUnknown }) {
	checkBody(
		body,
		{
			incident_id: 'string!',
			fields: 'string[]',
			page: 'int',
			page_size: 'int',
			markdown_to_html: 'bool',
		},
		{ rejectUnknown },
	);
	const incident = store.getIncident(body.incident_id);
	if (!incident) throw notFound(`Incident ${body.incident_id} not found`);
	const { page, pageSize } = q.resolvePaging(body, config);
	const sorted = incident.responses
		.slice()
		.sort((a, b) => a.creation_time - b.creation_time || (a.response_id < b.response_id ? -1 : 1));
	return json(
		q
			.pageOf(sorted, () => true, page, pageSize)
			.map((r) => q.project(body.markdown_to_html ? q.responseHtml(r) : r, body.fields)),
	);
}

function checkDecision(body, config, idSpec, rejectUnknown) {
	const commentType = config.responseCommentRequired ? 'text!' : 'text';
	checkBody(body, { ...idSpec, status: 'string!', comment: commentType }, { rejectUnknown });
	oneOf('status', body.status, DECISIONS);
}

/** Why a response cannot take a decision now, or null. */
function refusal(found, id, config) {
	if (!found) return notFound(`Response ${id} not found`);
	const { item } = found;
	if (item.status !== config.pendingResponseStatus && !config.allowResponseReupdate) {
		return badRequest(`Response ${id} is already ${item.status}`);
	}
	return null;
}

/** Applies a decision to several responses, bumping each affected incident once. */
function decide(found, { body, config, store, clock }) {
	const now = clock.now();
	const byIncident = new Map();
	for (const entry of found) {
		const group = byIncident.get(entry.incident) || [];
		group.push(entry.item);
		byIncident.set(entry.incident, group);
	}
	for (const [incident, responses] of byIncident) {
		store.mutate(incident, () => {
			for (const response of responses) {
				response.status = body.status;
				response.comment = body.comment ?? '';
				response.update_time = now;
				response.was_read = true;
			}
		});
		for (const response of responses) {
			store.history.add(
				incident.incident_id,
				'incident_response',
				'update',
				config.connectionName,
				now,
				{
					response_id: response.response_id,
					status: response.status,
					comment: response.comment,
				},
			);
		}
	}
}

function updateOne(ctx) {
	const { body, config, store } = ctx;
	checkDecision(body, config, { response_id: 'string!' }, ctx.rejectUnknown);
	const found = store.findResponse(body.response_id);
	const error = refusal(found, body.response_id, config);
	if (error) throw error;
	decide([found], ctx);
	return uncertain(config, found.item);
}

/**
 * responses/update. 'atomic': any unknown or already decided id fails the whole call and nothing
 * changes. 'per-id': valid ids are applied and each id gets its own result.
 */
function updateMany(ctx) {
	const { body, config, store } = ctx;
	checkDecision(body, config, { responses_ids: 'string[]!' }, ctx.rejectUnknown);
	if (body.responses_ids.length === 0) throw badRequest("Field 'responses_ids' must not be empty");

	const ids = [...new Set(body.responses_ids)];
	const checked = ids.map((id) => {
		const found = store.findResponse(id);
		return { id, found, error: refusal(found, id, config) };
	});
	if (config.bulkUpdateBehavior === 'atomic') {
		const failed = checked.find((c) => c.error);
		if (failed) throw failed.error;
		decide(
			checked.map((c) => c.found),
			ctx,
		);
		return uncertain(
			config,
			checked.map((c) => c.found.item),
		);
	}
	decide(
		checked.filter((c) => !c.error).map((c) => c.found),
		ctx,
	);
	return json(
		checked.map(({ id, found, error }) =>
			error
				? {
						response_id: id,
						success: false,
						status: error.status,
						error: error.code,
						message: error.message,
					}
				: { response_id: id, success: true, response: found.item },
		),
	);
}

module.exports = {
	'responses/list': { handler: list, auth: true },
	'response/update': { handler: updateOne, auth: true },
	'responses/update': { handler: updateMany, auth: true },
};
