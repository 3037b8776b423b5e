import type { IDataObject } from 'n8n-workflow';

/**
 * What one incident, as incidents/list returns it, says has happened since a given moment.
 * Pure: no I/O, no clock. The delivery bookkeeping (which of these were already delivered) lives
 * in cursor.ts.
 */

export const EVENT_TYPES = [
	'newIncident',
	'incidentUpdated',
	'incidentStatusChanged',
	'newComment',
	'newResponse',
	'responseStatusChanged',
	'newAttachment',
] as const;

export type MdrEventType = (typeof EVENT_TYPES)[number];

export interface MdrIncident extends IDataObject {
	incident_id: string;
	creation_time?: number;
	update_time?: number;
	status?: string;
	comments?: IDataObject[];
	attachments?: IDataObject[];
	responses?: IDataObject[];
}

export interface DetectedEvent {
	/** Stable across polls and re-runs: the same change always gets the same id. */
	eventId: string;
	event: MdrEventType;
	/** When the change happened in MDR (ms); events are delivered in this order within a poll. */
	time: number;
	incident: MdrIncident;
	comment?: IDataObject;
	attachment?: IDataObject;
	response?: IDataObject;
	/** Only for status changes; null when the status before is not known. */
	previousStatus?: string | null;
}

export interface DetectionContext {
	/** Changes and children older than this (ms) are not news. */
	floor: number;
	/** Last status this trigger saw for the incident, if it remembers one. */
	knownIncidentStatus?: string;
	/** Last status this trigger saw for a response, if it remembers one. */
	knownResponseStatus: (responseId: string) => string | undefined;
	/** Author name of this API connection; '' delivers comments and attachments of every author. */
	ownAuthorName: string;
}

/** Within one millisecond: the incident first, then what changed in it, then the update itself. */
const TIE_ORDER: Record<MdrEventType, number> = {
	newIncident: 0,
	newComment: 1,
	newAttachment: 2,
	newResponse: 3,
	responseStatusChanged: 4,
	incidentStatusChanged: 5,
	incidentUpdated: 6,
};

/** The two decided states; any other literal means the SOC still awaits the customer's decision. */
const DECIDED = new Set(['confirmed', 'declined']);

export function isDecided(status: unknown): boolean {
	return typeof status === 'string' && DECIDED.has(status.trim().toLowerCase());
}

function time(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function text(value: unknown): string {
	return typeof value === 'string'
		? value
		: value === undefined || value === null
			? ''
			: String(value);
}

function isOwn(child: IDataObject, ownAuthorName: string): boolean {
	if (ownAuthorName === '') return false;
	return text(child.author_name).trim().toLowerCase() === ownAuthorName.trim().toLowerCase();
}

function childList(
	incident: MdrIncident,
	key: 'comments' | 'attachments' | 'responses',
): IDataObject[] {
	const list = incident[key];
	return Array.isArray(list) ? list.filter((x) => x !== null && typeof x === 'object') : [];
}

/**
 * Every event the incident shows at or after `floor`, whether or not it was delivered before.
 * The result is sorted by time, ties in TIE_ORDER.
 */
export function detectEvents(incident: MdrIncident, context: DetectionContext): DetectedEvent[] {
	const id = incident.incident_id;
	const created = time(incident.creation_time);
	const updated = time(incident.update_time) ?? created;
	const { floor, ownAuthorName } = context;
	const events: DetectedEvent[] = [];
	const ownTimes = new Set<number>();

	if (created !== undefined && created >= floor) {
		events.push({
			eventId: `incident:${id}:created`,
			event: 'newIncident',
			time: created,
			incident,
		});
	}

	for (const comment of childList(incident, 'comments')) {
		const at = time(comment.creation_time);
		if (isOwn(comment, ownAuthorName)) {
			if (at !== undefined) ownTimes.add(at);
			continue;
		}
		if (at === undefined || at < floor) continue;
		events.push({
			eventId: `comment:${text(comment.comment_id)}`,
			event: 'newComment',
			time: at,
			incident,
			comment,
		});
	}

	for (const attachment of childList(incident, 'attachments')) {
		const at = time(attachment.creation_time);
		if (isOwn(attachment, ownAuthorName)) {
			if (at !== undefined) ownTimes.add(at);
			continue;
		}
		if (at === undefined || at < floor) continue;
		events.push({
			eventId: `attachment:${text(attachment.attachment_id)}`,
			event: 'newAttachment',
			time: at,
			incident,
			attachment,
		});
	}

	for (const response of childList(incident, 'responses')) {
		events.push(...responseEvents(incident, response, context));
	}

	// An update that is only this connection's own comment or upload is its echo, not news.
	const isUpdate = updated !== undefined && created !== undefined && updated > created;
	if (isUpdate && updated >= floor && !ownTimes.has(updated)) {
		events.push({
			eventId: `incident:${id}:updated:${updated}`,
			event: 'incidentUpdated',
			time: updated,
			incident,
		});
	}

	const status = text(incident.status);
	const known = context.knownIncidentStatus;
	if (known !== undefined && status !== '' && known !== status && updated !== undefined) {
		events.push({
			eventId: `incident:${id}:status:${status}:${updated}`,
			event: 'incidentStatusChanged',
			time: updated,
			incident,
			previousStatus: known,
		});
	}

	return events.sort((a, b) => a.time - b.time || TIE_ORDER[a.event] - TIE_ORDER[b.event]);
}

function responseEvents(
	incident: MdrIncident,
	response: IDataObject,
	context: DetectionContext,
): DetectedEvent[] {
	const id = text(response.response_id);
	const status = text(response.status);
	const created = time(response.creation_time);
	const changed = time(response.update_time) ?? time(incident.update_time) ?? created;
	const known = context.knownResponseStatus(id);
	const isNew = created !== undefined && created >= context.floor;
	const events: DetectedEvent[] = [];

	// A response already decided when first seen is reported as its decision, not as a question.
	if (isNew && !isDecided(status)) {
		events.push({
			eventId: `response:${id}:created`,
			event: 'newResponse',
			time: created,
			incident,
			response,
		});
	}

	const statusChanged =
		known !== undefined
			? known !== status
			: isDecided(status) && (isNew || (changed !== undefined && changed >= context.floor));
	if (statusChanged && status !== '') {
		events.push({
			eventId: `response:${id}:status:${status}`,
			event: 'responseStatusChanged',
			time: changed ?? created ?? 0,
			incident,
			response,
			previousStatus: known ?? null,
		});
	}
	return events;
}
