import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { httpStatusOf } from '../KasperskyMdr/transport/errors';
import { MAX_PAGE_SIZE, RESULT_WINDOW } from '../KasperskyMdr/transport/paging';
import { isTransientFailure, mdrRequest } from '../KasperskyMdr/transport/request';
import { baselineState, PollCollector, readState, writeState } from './cursor';
import { detectEvents, type MdrIncident } from './events';
import { toItems } from './items';
import { accepts, readSettings, serverFilters, type TriggerSettings } from './settings';

const FALLBACK_PAGE_SIZE = 100;
const BASELINE_STATUS_COUNT = 1_000;
const SAMPLE_INCIDENTS = 10;
const SAMPLE_EVENTS = 5;

async function listIncidents(
	context: IPollFunctions,
	settings: TriggerSettings,
	body: IDataObject,
): Promise<MdrIncident[]> {
	const answer = await mdrRequest<unknown>(context, {
		path: 'incidents/list',
		body,
		kind: 'read',
		retry: settings.retry,
	});
	if (!Array.isArray(answer)) {
		throw new NodeOperationError(
			context.getNode(),
			'MDR answered incidents/list with something that is not a list',
			{
				description:
					'Check the API URL in the credential: it should point at the MDR REST API (normally https://mdr.kaspersky.com/api/v1).',
			},
		);
	}
	return answer.filter(
		(incident): incident is MdrIncident =>
			incident !== null && typeof incident === 'object' && typeof incident.incident_id === 'string',
	);
}

type SweepEnd = { how: 'end' | 'cut' | 'fail'; failure?: unknown };

/**
 * Reads incidents/list oldest update first from the collector's start, page by page, until the
 * list ends, the cap is reached, or MDR fails beyond the retry budget. Before the search window
 * would be exceeded (or when MDR says it was), it restarts from the last update_time processed.
 */
async function sweep(
	context: IPollFunctions,
	settings: TriggerSettings,
	collector: PollCollector,
): Promise<SweepEnd> {
	let pageSize = Math.min(MAX_PAGE_SIZE, Math.max(FALLBACK_PAGE_SIZE, settings.maxEvents));
	let from = collector.minUpdateTime;
	let page = 1;

	const restart = (): boolean => {
		const last = collector.lastUpdateTime;
		// More incidents than the window share one millisecond: the rest cannot be reached.
		if (last === undefined || last <= from) return false;
		from = last;
		page = 1;
		return true;
	};

	for (;;) {
		if (page * pageSize > RESULT_WINDOW && !restart()) return { how: 'end' };

		let incidents: MdrIncident[];
		try {
			incidents = await listIncidents(context, settings, {
				...serverFilters(settings),
				min_update_time: from,
				sort: 'update_time:asc',
				page,
				page_size: pageSize,
			});
		} catch (error) {
			if (isTransientFailure(error)) return { how: 'cut', failure: error };
			if (httpStatusOf(error) === 400 && page > 1) {
				if (restart()) continue;
				return { how: 'end' };
			}
			if (httpStatusOf(error) === 400 && page === 1 && pageSize > FALLBACK_PAGE_SIZE) {
				pageSize = FALLBACK_PAGE_SIZE;
				continue;
			}
			return { how: 'fail', failure: error };
		}

		// An empty page right after a full one may be the search window answering with nothing.
		if (incidents.length === 0 && page > 1) {
			if (restart()) continue;
			return { how: 'end' };
		}

		for (const incident of incidents) {
			if (collector.add(incident) === 'full') return { how: 'cut' };
		}
		if (incidents.length < pageSize) return { how: 'end' };
		page++;
	}
}

/**
 * First activation: the newest update_time in MDR (the baseline) and the statuses of the most
 * recently updated incidents, so that their next status change can be reported.
 */
async function readBaseline(context: IPollFunctions, settings: TriggerSettings) {
	const recent = await listIncidents(context, settings, {
		sort: 'update_time:desc',
		page: 1,
		page_size: BASELINE_STATUS_COUNT,
		fields: ['incident_id', 'status', 'update_time'],
	});
	const times = recent
		.map((incident) => incident.update_time)
		.filter((time): time is number => typeof time === 'number');
	const statuses = recent
		.filter(
			(incident) => typeof incident.status === 'string' && typeof incident.update_time === 'number',
		)
		.map((incident): [string, string, number] => [
			incident.incident_id,
			incident.status as string,
			incident.update_time as number,
		]);
	return { latest: times.length > 0 ? Math.max(...times) : undefined, statuses };
}

/** "Fetch Test Event": the latest real events, without reading or touching the saved state. */
async function sample(context: IPollFunctions, settings: TriggerSettings) {
	const incidents = await listIncidents(context, settings, {
		...serverFilters(settings),
		sort: 'update_time:desc',
		page: 1,
		page_size: SAMPLE_INCIDENTS,
	});
	const accepted = accepts(settings);
	const events = incidents
		.filter(accepted)
		.flatMap((incident) =>
			detectEvents(incident, {
				floor: 0,
				knownResponseStatus: () => undefined,
				ownAuthorName: settings.ownAuthorName,
			}),
		)
		.filter((event) => settings.events.has(event.event))
		.sort((a, b) => a.time - b.time);
	return events.slice(-SAMPLE_EVENTS);
}

export async function poll(context: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const settings = readSettings(context);
	if (context.getMode() === 'manual') {
		const events = await sample(context, settings);
		return events.length > 0 ? [toItems(events, settings.simplify)] : null;
	}

	const staticData = context.getWorkflowStaticData('node');
	let state = readState(staticData);
	let silent = false;
	if (state === undefined) {
		const { latest, statuses } = await readBaseline(context, settings);
		const lookBackFrom = settings.lookBackMs > 0 ? Date.now() - settings.lookBackMs : undefined;
		state = baselineState(latest, statuses, { overlapMs: settings.overlapMs, lookBackFrom });
		silent = lookBackFrom === undefined;
		if (state.sweep === undefined) {
			staticData.mdrTrigger = writeState(state);
			return null;
		}
	}

	const collector = new PollCollector(state, {
		overlapMs: settings.overlapMs,
		maxEvents: settings.maxEvents,
		ownAuthorName: settings.ownAuthorName,
		events: settings.events,
		accepts: accepts(settings),
		silent,
	});
	const end = await sweep(context, settings, collector);
	// An authentication or request error fails the poll and advances nothing; so does a transient
	// failure when nothing complete could be handed over.
	if (end.how === 'fail' || (end.failure !== undefined && collector.count === 0)) throw end.failure;

	const result = collector.finish(end.how === 'end' ? 'end' : 'cut');
	staticData.mdrTrigger = writeState(result.state);
	return result.events.length > 0 ? [toItems(result.events, settings.simplify)] : null;
}
