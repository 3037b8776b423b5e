import type { IDataObject, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { httpStatusOf, settle } from './errors';
import { mdrRequest, type MdrContext } from './request';

/**
 * The page size asked for. MDR's maximum is not documented; 1000 is known to work for assets.
 * If MDR rejects it, the size is lowered (see `smallerPageSize`).
 */
export const MAX_PAGE_SIZE = 1000;

/**
 * MDR's result window (Elasticsearch's `max_result_window`): a page whose end lies past it is
 * refused. A listing sorted by time restarts before crossing it instead of asking for a page MDR
 * will refuse; a server with a smaller window is handled when it refuses (or answers empty).
 */
export const RESULT_WINDOW = 10_000;

/** Sorting on a time field lets a listing continue past the result window by narrowing the range. */
export interface TimeKey {
	field: string;
	direction: 'asc' | 'desc';
	/** Body fields of the inclusive time range on `field`, e.g. min_creation_time/max_creation_time. */
	minParam: string;
	maxParam: string;
}

export interface PagedList {
	path: string;
	/** Filters, projection and sort; page and page_size are added here. */
	body: IDataObject;
	idField: string;
	/** Undefined: every match. */
	limit?: number;
	timeKey?: TimeKey;
	itemIndex: number;
	/** A human name for the objects, used in errors ("incidents"). */
	noun: string;
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * A smaller page size after MDR rejected `current`, or undefined when the rejection was not about
 * the page size. The number MDR names as its maximum is used when the message has one.
 */
function smallerPageSize(error: unknown, path: string, current: number): number | undefined {
	if (httpStatusOf(error) !== 400 || current <= 10) return undefined;
	const message = messageOf(error);
	const opaque = message.trim() === `MDR answered 400 to ${path}`;
	if (!opaque && !/page[_ ]?size/i.test(message)) return undefined;
	const named = (message.match(/\d+/g) ?? [])
		.map(Number)
		.filter((value) => value >= 1 && value < current);
	if (named.length > 0) return Math.max(...named);
	return opaque && current <= 100 ? undefined : Math.max(10, Math.floor(current / 2));
}

function narrowedBody(body: IDataObject, key: TimeKey, boundary: number): IDataObject {
	const narrowed = { ...body };
	if (key.direction === 'desc') {
		const userMax = body[key.maxParam];
		narrowed[key.maxParam] = typeof userMax === 'number' ? Math.min(userMax, boundary) : boundary;
	} else {
		const userMin = body[key.minParam];
		narrowed[key.minParam] = typeof userMin === 'number' ? Math.max(userMin, boundary) : boundary;
	}
	return narrowed;
}

function listFailure(context: MdrContext, message: string, description: string, itemIndex: number) {
	return new NodeApiError(context.getNode(), { message, description } as JsonObject, {
		message,
		description,
		itemIndex,
	});
}

/**
 * Reads a list page by page, in the requested order, until `limit` results or the end.
 *
 * MDR answers a bare array per page, with no total and no cursor, and cannot page past its result
 * window (10,000 incidents). When the list is sorted by a time field, reading restarts at page 1
 * with the time range narrowed to the last time seen (inclusive), and ids already returned are
 * skipped: before the next page would cross the window, or when a page is refused (a 400) or comes
 * back empty on a server whose window is smaller. This gives every match
 * exactly once, however many share the boundary millisecond, as long as fewer than a window's worth
 * share one millisecond.
 *
 * The page size starts at 1000. A 400 about the page size lowers it. A first page shorter than
 * asked for is confirmed with one more request, since a server that silently caps the page size
 * would otherwise look like the end of the list.
 */
export async function listPaged(context: MdrContext, request: PagedList): Promise<IDataObject[]> {
	const { path, idField, limit, timeKey, itemIndex } = request;
	const results: IDataObject[] = [];
	const seen = new Set<string>();
	let pageSize = Math.min(MAX_PAGE_SIZE, limit ?? MAX_PAGE_SIZE);
	let sizeConfirmed = false;
	let probing = false;
	let page = 1;
	let boundary: number | undefined;
	let lastTime: number | undefined;
	/** Entries received since the last (re)start, and new ones among them. */
	let receivedInPass = 0;
	let newInPass = 0;
	/** How many entries a pass could read before the window stopped it. */
	let windowSize: number | undefined;

	const restart = () => {
		if (timeKey === undefined || lastTime === undefined) {
			throw listFailure(
				context,
				`MDR cannot list more than ${results.length} ${request.noun} in this order`,
				'MDR stops paging at its result window. Sort by creation time or update time (then the node continues past the window), or narrow the filters.',
				itemIndex,
			);
		}
		if (boundary !== undefined && newInPass === 0) {
			throw listFailure(
				context,
				`Too many ${request.noun} share the time ${new Date(lastTime).toISOString()} to list them all`,
				'More results than MDR can page through at once have exactly the same time, so the list cannot continue past them. Narrow the filters (for example by tenant or priority) and run again.',
				itemIndex,
			);
		}
		windowSize ??= receivedInPass;
		boundary = lastTime;
		page = 1;
		receivedInPass = 0;
		newInPass = 0;
	};

	for (;;) {
		const base =
			boundary === undefined ? request.body : narrowedBody(request.body, timeKey!, boundary);
		const answer = await settle(
			mdrRequest<unknown>(context, {
				path,
				body: { ...base, page, page_size: pageSize },
				kind: 'read',
				itemIndex,
			}),
		);
		if (!answer.ok) {
			const { error } = answer;
			if (page === 1) {
				const smaller = smallerPageSize(error, path, pageSize);
				if (smaller === undefined) throw error;
				pageSize = smaller;
				continue;
			}
			// Page 1 was accepted with the same body: a refusal further on is the result window.
			if (httpStatusOf(error) !== 400) throw error;
			restart();
			continue;
		}

		const batch = answer.value;
		if (!Array.isArray(batch)) {
			throw listFailure(
				context,
				`MDR answered ${path} with something other than a list`,
				'Check the API URL in the credential: it should point at the MDR REST API.',
				itemIndex,
			);
		}

		for (const entry of batch as IDataObject[]) {
			receivedInPass++;
			const time = timeKey ? entry[timeKey.field] : undefined;
			if (typeof time === 'number') lastTime = time;
			const id = entry[idField];
			if (typeof id === 'string' || typeof id === 'number') {
				if (seen.has(String(id))) continue;
				seen.add(String(id));
			}
			results.push(entry);
			newInPass++;
			if (limit !== undefined && results.length >= limit) return results;
		}

		if (batch.length === 0) {
			// An empty page after full ones is either the exact end of the list or, on servers
			// that answer past the window with an empty page, the window. A restart tells them
			// apart: a pass that ends before reaching the window's size has reached the end.
			if (page === 1 || probing || timeKey === undefined) return results;
			if (windowSize !== undefined && receivedInPass < windowSize) return results;
			restart();
			continue;
		}
		if (batch.length < pageSize) {
			if (sizeConfirmed || page !== 1) return results;
			pageSize = batch.length;
			sizeConfirmed = true;
			probing = true;
			page = 2;
			continue;
		}
		sizeConfirmed = true;
		probing = false;
		if (timeKey !== undefined && receivedInPass + pageSize > RESULT_WINDOW) {
			restart();
			continue;
		}
		page++;
	}
}

/**
 * Reads incident history. Depending on the server, a page holds `page_size` records in total or
 * `page_size` records of each entity type; reading on while a page is full by either measure
 * covers both, at the cost of at most one empty page at the end.
 */
export async function listHistory(
	context: MdrContext,
	body: IDataObject,
	limit: number | undefined,
	itemIndex: number,
): Promise<IDataObject[]> {
	const results: IDataObject[] = [];
	const pageSize = Math.min(MAX_PAGE_SIZE, limit ?? MAX_PAGE_SIZE);
	for (let page = 1; ; page++) {
		const batch = await mdrRequest<unknown>(context, {
			path: 'incidents/history',
			body: { ...body, page, page_size: pageSize },
			kind: 'read',
			itemIndex,
		});
		if (!Array.isArray(batch)) {
			throw listFailure(
				context,
				'MDR answered incidents/history with something other than a list',
				'Check the API URL in the credential: it should point at the MDR REST API.',
				itemIndex,
			);
		}
		const perType = new Map<string, number>();
		for (const record of batch as IDataObject[]) {
			const type = Object.keys((record.entity as IDataObject | undefined) ?? {})[0] ?? '';
			perType.set(type, (perType.get(type) ?? 0) + 1);
			results.push(record);
			if (limit !== undefined && results.length >= limit) return results;
		}
		const fullType = [...perType.values()].some((count) => count >= pageSize);
		if (batch.length < pageSize && !fullType) return results;
	}
}
