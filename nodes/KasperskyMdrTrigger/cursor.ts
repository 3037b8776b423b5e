import type { IDataObject } from 'n8n-workflow';

import { detectEvents, type DetectedEvent, type MdrEventType, type MdrIncident } from './events';

/**
 * The delivery state of the trigger and the rules that move it. Pure: the poll hands it the
 * incidents it read (oldest update first) and stores what `finish` returns.
 *
 * A sweep reads incidents/list from `floor` (the last cursor minus the overlap window) up to the
 * newest change. Children (comments, attachments, responses) and creations are news only when
 * their time is at or after `floor`; the delivered-key set, kept for everything at or after
 * `floor`, makes each of them delivered once even when the overlap reads it again. A sweep that
 * hits the per-poll cap keeps its `floor` and continues from `resume` on the next poll, so nothing
 * it has not delivered falls below the floor.
 */

export const STATE_VERSION = 1;

/** A safety net: a sweep over a very large backlog remembers at most this many delivered events. */
export const MAX_DELIVERED_KEYS = 50_000;

/** Last-known statuses kept for status-change events (the most recently updated win). */
export const MAX_INCIDENT_STATUSES = 2_000;
export const MAX_RESPONSE_STATUSES = 2_000;

export interface Sweep {
	floor: number;
	/** update_time (inclusive) where the next poll continues this sweep. */
	resume: number;
	/** Newest update_time processed so far in this sweep. */
	high: number;
}

export interface TriggerState {
	version: number;
	/** All changes up to this update_time have been processed by a finished sweep. */
	cursor: number;
	sweep?: Sweep;
	/** eventId → the time that keeps it remembered (the latest of event time and incident update). */
	delivered: Record<string, number>;
	/** incident_id → [status, update_time when seen]. */
	incidents: Record<string, [string, number]>;
	/** response_id → [status, incident update_time when seen]. */
	responses: Record<string, [string, number]>;
}

export interface DeliveryOptions {
	overlapMs: number;
	maxEvents: number;
	ownAuthorName: string;
	events: ReadonlySet<MdrEventType>;
	/** Client-side filter: incidents it rejects produce no events but still move the cursor. */
	accepts: (incident: MdrIncident) => boolean;
	/** Baseline: remember what is there, deliver nothing. */
	silent?: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function finite(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value);
}

/** The state kept in static data, or undefined when there is none or it is not ours. */
export function readState(stored: IDataObject | undefined): TriggerState | undefined {
	const value = stored?.mdrTrigger;
	if (!isRecord(value) || value.version !== STATE_VERSION || !finite(value.cursor))
		return undefined;
	const sweep = isRecord(value.sweep) ? value.sweep : undefined;
	const validSweep =
		sweep && finite(sweep.floor) && finite(sweep.resume) && finite(sweep.high)
			? { floor: sweep.floor, resume: sweep.resume, high: sweep.high }
			: undefined;
	return {
		version: STATE_VERSION,
		cursor: value.cursor,
		sweep: validSweep,
		delivered: isRecord(value.delivered) ? (value.delivered as Record<string, number>) : {},
		incidents: isRecord(value.incidents)
			? (value.incidents as Record<string, [string, number]>)
			: {},
		responses: isRecord(value.responses)
			? (value.responses as Record<string, [string, number]>)
			: {},
	};
}

export function writeState(state: TriggerState): IDataObject {
	return JSON.parse(JSON.stringify(state)) as IDataObject;
}

/**
 * First activation. `latest` is the newest update_time MDR shows (undefined: no incidents at all),
 * `statuses` the statuses of the most recently updated incidents, so that their next status
 * change can be reported. With a look-back, the first sweep starts at `lookBackFrom` and delivers;
 * without, it starts one overlap before `latest` and only remembers (see `silent`).
 */
export function baselineState(
	latest: number | undefined,
	statuses: Array<[string, string, number]>,
	options: { overlapMs: number; lookBackFrom?: number },
): TriggerState {
	const incidents: Record<string, [string, number]> = {};
	for (const [id, status, updated] of statuses) incidents[id] = [status, updated];
	const state: TriggerState = {
		version: STATE_VERSION,
		cursor: latest ?? 0,
		delivered: {},
		incidents: keepNewest(incidents, MAX_INCIDENT_STATUSES),
		responses: {},
	};
	const floor =
		options.lookBackFrom !== undefined
			? options.lookBackFrom
			: latest === undefined
				? undefined
				: latest - options.overlapMs;
	if (floor !== undefined) state.sweep = { floor, resume: floor, high: latest ?? floor };
	return state;
}

/** Where this poll's query starts, and the floor its events are judged against. */
export function plan(
	state: TriggerState,
	overlapMs: number,
): { floor: number; minUpdateTime: number } {
	if (state.sweep) {
		const { floor, resume } = state.sweep;
		return { floor, minUpdateTime: Math.max(0, floor, resume - overlapMs) };
	}
	const floor = state.cursor - overlapMs;
	return { floor, minUpdateTime: Math.max(0, floor) };
}

export type AddResult = 'taken' | 'full';

/** Collects one poll's events from incidents given oldest update first. */
export class PollCollector {
	readonly floor: number;

	readonly minUpdateTime: number;

	private readonly events: DetectedEvent[] = [];

	private readonly delivered: Record<string, number>;

	private readonly incidents: Record<string, [string, number]>;

	private readonly responses: Record<string, [string, number]>;

	private high: number;

	private lastProcessed: number | undefined;

	/** update_time of the first incident left for the next poll, once the cap is reached. */
	private stoppedAt: number | undefined;

	private capped = false;

	constructor(
		private readonly state: TriggerState,
		private readonly options: DeliveryOptions,
	) {
		const start = plan(state, options.overlapMs);
		this.floor = start.floor;
		this.minUpdateTime = start.minUpdateTime;
		this.delivered = { ...state.delivered };
		this.incidents = { ...state.incidents };
		this.responses = { ...state.responses };
		this.high = state.sweep?.high ?? state.cursor;
	}

	/** update_time of the last incident fully processed in this poll, if any. */
	get lastUpdateTime(): number | undefined {
		return this.lastProcessed;
	}

	get count(): number {
		return this.events.length;
	}

	/**
	 * Takes one incident: all its new events, or none of them when they would overflow the cap
	 * (one incident's events are never split; a single incident may exceed the cap on its own).
	 */
	add(incident: MdrIncident): AddResult {
		if (this.capped) return 'full';
		const updated = typeof incident.update_time === 'number' ? incident.update_time : undefined;
		const id = String(incident.incident_id);

		const fresh = this.options.accepts(incident) ? this.newEvents(incident) : [];
		const { maxEvents, silent } = this.options;
		if (!silent && fresh.length > 0 && this.events.length > 0) {
			if (this.events.length + fresh.length > maxEvents) {
				this.stoppedAt = updated ?? this.lastProcessed ?? this.minUpdateTime;
				this.capped = true;
				return 'full';
			}
		}

		const keepFor = updated ?? this.floor;
		for (const event of fresh) {
			this.delivered[event.eventId] = Math.max(event.time, keepFor);
			if (!silent) this.events.push(event);
		}
		this.remember(id, incident, keepFor);
		if (updated !== undefined) {
			this.high = Math.max(this.high, updated);
			this.lastProcessed = updated;
		}
		if (!silent && this.events.length >= maxEvents) this.capped = true;
		return this.capped ? 'full' : 'taken';
	}

	private newEvents(incident: MdrIncident): DetectedEvent[] {
		const known = this.incidents[String(incident.incident_id)];
		const detected = detectEvents(incident, {
			floor: this.floor,
			knownIncidentStatus: known?.[0],
			knownResponseStatus: (responseId) => this.responses[responseId]?.[0],
			ownAuthorName: this.options.ownAuthorName,
		});
		return detected.filter(
			(event) => this.options.events.has(event.event) && !(event.eventId in this.delivered),
		);
	}

	private remember(id: string, incident: MdrIncident, seenAt: number): void {
		if (typeof incident.status === 'string' && incident.status !== '') {
			this.incidents[id] = [incident.status, seenAt];
		}
		for (const response of Array.isArray(incident.responses) ? incident.responses : []) {
			const responseId = (response as IDataObject)?.response_id;
			const status = (response as IDataObject)?.status;
			if (typeof responseId === 'string' && typeof status === 'string') {
				this.responses[responseId] = [status, seenAt];
			}
		}
	}

	/**
	 * The poll's events (oldest first) and the state to store.
	 * - `end`: the list was read to its end: the sweep is finished and the cursor moves to the
	 *   newest change seen;
	 * - `cut`: the poll stopped early (cap reached, or MDR failed beyond the retry budget): the
	 *   sweep continues next poll from the first incident not processed.
	 */
	finish(how: 'end' | 'cut'): { events: DetectedEvent[]; state: TriggerState } {
		const events = this.events.slice().sort((a, b) => a.time - b.time);
		const finished = how === 'end' && !this.capped;

		let state: TriggerState;
		if (finished) {
			const cursor = Math.max(this.state.cursor, this.high);
			const keepFrom = cursor - this.options.overlapMs;
			state = {
				version: STATE_VERSION,
				cursor,
				delivered: pruneBelow(this.delivered, keepFrom),
				incidents: this.incidents,
				responses: this.responses,
			};
		} else {
			const resume =
				this.stoppedAt ?? this.lastProcessed ?? this.state.sweep?.resume ?? this.minUpdateTime;
			state = {
				version: STATE_VERSION,
				cursor: this.state.cursor,
				sweep: { floor: this.floor, resume, high: this.high },
				delivered: this.delivered,
				incidents: this.incidents,
				responses: this.responses,
			};
		}
		state.delivered = keepNewest(state.delivered, MAX_DELIVERED_KEYS);
		state.incidents = keepNewest(state.incidents, MAX_INCIDENT_STATUSES);
		state.responses = keepNewest(state.responses, MAX_RESPONSE_STATUSES);
		return { events, state };
	}
}

function pruneBelow(keys: Record<string, number>, from: number): Record<string, number> {
	const kept: Record<string, number> = {};
	for (const [key, at] of Object.entries(keys)) if (at >= from) kept[key] = at;
	return kept;
}

function stamp(value: number | [string, number]): number {
	return Array.isArray(value) ? value[1] : value;
}

/** Keeps the `limit` entries with the newest timestamps. */
export function keepNewest<T extends number | [string, number]>(
	entries: Record<string, T>,
	limit: number,
): Record<string, T> {
	const list = Object.entries(entries);
	if (list.length <= limit) return entries;
	list.sort((a, b) => stamp(b[1]) - stamp(a[1]));
	return Object.fromEntries(list.slice(0, limit)) as Record<string, T>;
}
