/**
 * The pure delivery rules (events.ts, cursor.ts) on hand-made incidents: the cases a sandbox
 * timeline reaches only with effort.
 */
import {
	baselineState,
	MAX_INCIDENT_STATUSES,
	PollCollector,
	type DeliveryOptions,
	type TriggerState,
} from '../../nodes/KasperskyMdrTrigger/cursor';
import {
	detectEvents,
	EVENT_TYPES,
	type MdrIncident,
} from '../../nodes/KasperskyMdrTrigger/events';

const MINUTE = 60_000;

function options(overrides: Partial<DeliveryOptions> = {}): DeliveryOptions {
	return {
		overlapMs: 5 * MINUTE,
		maxEvents: 500,
		ownAuthorName: '',
		events: new Set(EVENT_TYPES),
		accepts: () => true,
		...overrides,
	};
}

function incident(
	id: string,
	created: number,
	updated = created,
	extra: Partial<MdrIncident> = {},
): MdrIncident {
	return {
		incident_id: id,
		creation_time: created,
		update_time: updated,
		status: 'Open',
		...extra,
	};
}

const steady = (cursor: number): TriggerState => ({
	version: 1,
	cursor,
	delivered: {},
	incidents: {},
	responses: {},
});

describe('events of one incident', () => {
	it('reports a response already decided when first seen as its decision, not as a question', () => {
		const events = detectEvents(
			incident('A', 0, 100, {
				responses: [{ response_id: 'R', status: 'Declined', creation_time: 90, update_time: 100 }],
			}),
			{ floor: 50, knownResponseStatus: () => undefined, ownAuthorName: '' },
		);
		expect(events.map((e) => e.eventId)).toEqual([
			'response:R:status:Declined',
			'incident:A:updated:100',
		]);
	});

	it('counts any response status other than Confirmed or Declined as awaiting a decision', () => {
		const events = detectEvents(
			incident('A', 0, 100, {
				responses: [{ response_id: 'R', status: 'Pending', creation_time: 100 }],
			}),
			{ floor: 50, knownResponseStatus: () => undefined, ownAuthorName: '' },
		);
		expect(events.map((e) => e.event)).toContain('newResponse');
	});

	it('reports no status change for an incident whose previous status it does not know', () => {
		const events = detectEvents(incident('A', 0, 100, { status: 'Closed' }), {
			floor: 50,
			knownResponseStatus: () => undefined,
			ownAuthorName: '',
		});
		expect(events.map((e) => e.event)).toEqual(['incidentUpdated']);
	});

	it('treats an update made by its own comment as an echo, matching the author name without case', () => {
		const events = detectEvents(
			incident('A', 0, 100, {
				comments: [{ comment_id: 'C', author_name: 'N8N Bot', creation_time: 100 }],
			}),
			{ floor: 50, knownResponseStatus: () => undefined, ownAuthorName: 'n8n bot' },
		);
		expect(events).toEqual([]);
	});
});

describe('the poll collector', () => {
	it('delivers an incident whose events alone exceed the cap whole, and stops after it', () => {
		const collector = new PollCollector(steady(0), options({ maxEvents: 2 }));
		const big = incident('A', 10, 10, {
			comments: [1, 2, 3].map((n) => ({ comment_id: `C${n}`, creation_time: 10 })),
		});
		expect(collector.add(big)).toBe('full');
		const { events, state } = collector.finish('cut');
		expect(events).toHaveLength(4);
		expect(state.sweep).toEqual({ floor: -5 * MINUTE, resume: 10, high: 10 });
	});

	it('keeps the floor of an unfinished sweep, so a capped poll never skips older children', () => {
		const first = new PollCollector(steady(10 * MINUTE), options({ maxEvents: 1 }));
		first.add(incident('A', 6 * MINUTE));
		expect(first.add(incident('B', 7 * MINUTE, 20 * MINUTE))).toBe('full');
		const next = new PollCollector(first.finish('cut').state, options({ maxEvents: 1 }));

		expect(next.floor).toBe(5 * MINUTE);
		next.add(incident('B', 7 * MINUTE, 20 * MINUTE));
		expect(next.finish('end').events.map((e) => e.eventId)).toEqual([
			'incident:B:created',
			`incident:B:updated:${20 * MINUTE}`,
		]);
	});

	it('forgets delivered events below the new cursor minus the overlap once the sweep ends', () => {
		const collector = new PollCollector(steady(0), options());
		collector.add(incident('A', 1 * MINUTE));
		collector.add(incident('B', 30 * MINUTE));
		const { state } = collector.finish('end');
		expect(state.cursor).toBe(30 * MINUTE);
		expect(Object.keys(state.delivered)).toEqual(['incident:B:created']);
	});

	it('remembers at most a bounded number of incident statuses, the most recently updated', () => {
		const statuses: Array<[string, string, number]> = [];
		for (let i = 0; i < MAX_INCIDENT_STATUSES + 10; i++) statuses.push([`I${i}`, 'Open', i]);
		const state = baselineState(5_000, statuses, { overlapMs: MINUTE });
		expect(Object.keys(state.incidents)).toHaveLength(MAX_INCIDENT_STATUSES);
		expect(state.incidents.I0).toBeUndefined();
	});
});
