'use strict';

// Sort orders, paging, counting and field projection for lists, and how objects are presented
// (Markdown → HTML, `fields`).

const { ApiError, badRequest } = require('./errors');
const { markdownToHtml } = require('./markdown');

const LIST_PARAMS = { fields: 'string[]', page: 'int', page_size: 'int', sort: 'string' };

const INCIDENT_SORT_FIELDS = [
	'creation_time',
	'update_time',
	'incident_number',
	'incident_id',
	'priority',
	'status',
	'resolution',
	'summary',
	'tenant_name',
	'detection_technology',
	'attack_stage',
];

const ASSET_SORT_FIELDS = [
	'first_seen',
	'last_seen',
	'host_name',
	'domain',
	'status',
	'os_version',
	'tenant_name',
	'asset_id',
];

/** Parses "field:asc|desc" against the allowed fields. */
function parseSort(sort, fallback, allowed) {
	const text = sort === undefined || sort === null || sort === '' ? fallback : sort;
	const [field, direction = 'asc', extra] = text.split(':');
	if (extra !== undefined || !allowed.includes(field)) {
		throw badRequest(
			`Unsupported sort '${text}': use "<field>:asc" or "<field>:desc" with one of ${allowed.join(', ')}`,
		);
	}
	if (direction !== 'asc' && direction !== 'desc') {
		throw badRequest(`Unsupported sort direction '${direction}': use asc or desc`);
	}
	return { field, direction, key: `${field}:${direction}` };
}

const PRIORITY_RANK = { LOW: 0, NORMAL: 1, HIGH: 2 };

/**
 * A total order: the sort field, then the id ascending as a tie-break, so that paging never
 * repeats or skips an item when many share the same value.
 */
function comparator({ field, direction }, idField) {
	const sign = direction === 'desc' ? -1 : 1;
	const value = field === 'priority' ? (o) => PRIORITY_RANK[o.priority] ?? -1 : (o) => o[field];
	return (a, b) => {
		const x = value(a);
		const y = value(b);
		if (x !== y) {
			if (x === undefined || x === null) return 1;
			if (y === undefined || y === null) return -1;
			return (x < y ? -1 : 1) * sign;
		}
		return a[idField] < b[idField] ? -1 : a[idField] > b[idField] ? 1 : 0;
	};
}

/**
 * Resolves page and page_size with the configured limits. Returns `{page, pageSize, empty}` where
 * `empty` means "answer with no items" (the 'empty' window behaviour).
 */
function resolvePaging(body, config, { window = false } = {}) {
	const page = body.page ?? 1;
	let pageSize = body.page_size ?? config.defaultPageSize;
	if (page < 1) throw badRequest("Field 'page' must be 1 or more");
	if (pageSize < 1) throw badRequest("Field 'page_size' must be 1 or more");
	if (pageSize > config.maxPageSize) {
		if (config.pageSizeBehavior === 'clamp') pageSize = config.maxPageSize;
		else throw badRequest(`Field 'page_size' must not exceed ${config.maxPageSize}`);
	}
	if (window && page * pageSize > config.resultWindow) {
		if (config.windowBehavior === 'empty') return { page, pageSize, empty: true };
		throw new ApiError(
			400,
			'illegal_argument_exception',
			`Result window is too large, from + size must be less than or equal to: [${config.resultWindow}] but was [${page * pageSize}]. ` +
				'See the scroll api for a more efficient way to request large data sets. ' +
				'This limit can be set by changing the [index.max_result_window] index level setting.',
		);
	}
	return { page, pageSize, empty: false };
}

/** The items of one page from an already sorted list, keeping only those the predicate accepts. */
function pageOf(sorted, predicate, page, pageSize) {
	const start = (page - 1) * pageSize;
	const end = start + pageSize;
	const items = [];
	let seen = 0;
	for (let i = 0; i < sorted.length && seen < end; i++) {
		if (!predicate(sorted[i])) continue;
		if (seen >= start) items.push(sorted[i]);
		seen++;
	}
	return items;
}

function countOf(items, predicate) {
	let count = 0;
	for (const item of items) if (predicate(item)) count++;
	return count;
}

function project(object, fields) {
	if (!fields) return object;
	const out = {};
	for (const field of fields) if (field in object) out[field] = object[field];
	return out;
}

const withHtml = (object, keys) => {
	const copy = { ...object };
	for (const key of keys) if (typeof copy[key] === 'string') copy[key] = markdownToHtml(copy[key]);
	return copy;
};

const commentHtml = (c) => withHtml(c, ['text']);
const attachmentHtml = (a) => withHtml(a, ['caption']);
const responseHtml = (r) => withHtml(r, ['description', 'comment']);

/** An incident as the API shows it: optional Markdown → HTML, then the `fields` projection. */
function presentIncident(incident, fields, markdown) {
	let shown = incident;
	if (markdown) {
		shown = withHtml(incident, [
			'description',
			'recommendations',
			'client_description',
			'status_description',
		]);
		shown.comments = incident.comments.map(commentHtml);
		shown.attachments = incident.attachments.map(attachmentHtml);
		shown.responses = incident.responses.map(responseHtml);
	}
	return project(shown, fields);
}

module.exports = {
	LIST_PARAMS,
	INCIDENT_SORT_FIELDS,
	ASSET_SORT_FIELDS,
	parseSort,
	comparator,
	resolvePaging,
	pageOf,
	countOf,
	project,
	presentIncident,
	commentHtml,
	attachmentHtml,
	responseHtml,
};
