import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { toList } from '../KasperskyMdr/helpers/parameters';
import type { RetryPolicy } from '../KasperskyMdr/transport/retry';
import { EVENT_TYPES, type MdrEventType, type MdrIncident } from './events';
import {
	DEFAULT_MAX_EVENTS,
	DEFAULT_OVERLAP_MINUTES,
	DEFAULT_RETRY_BUDGET_SECONDS,
} from './properties';

export interface TriggerSettings {
	events: Set<MdrEventType>;
	priorities: string[];
	statuses: string[];
	tenants: string[];
	simplify: boolean;
	ownAuthorName: string;
	overlapMs: number;
	lookBackMs: number;
	maxEvents: number;
	retry: RetryPolicy;
}

function number(
	context: IPollFunctions,
	options: IDataObject,
	name: string,
	label: string,
	fallback: number,
	min: number,
): number {
	const value = options[name] ?? fallback;
	if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
		throw new NodeOperationError(
			context.getNode(),
			`'${label}' must be a number of at least ${min}`,
			{
				description: `It is ${String(value)}. Change it in the trigger's options.`,
			},
		);
	}
	return value;
}

export function readSettings(context: IPollFunctions): TriggerSettings {
	const chosen = toList(context.getNodeParameter('events', []));
	const events = new Set(
		chosen.filter((e): e is MdrEventType => (EVENT_TYPES as readonly string[]).includes(e)),
	);
	if (events.size === 0) {
		throw new NodeOperationError(context.getNode(), 'No event is selected', {
			description: 'Choose at least one event under Events, such as New Incident.',
		});
	}
	const filters = context.getNodeParameter('filters', {}) as IDataObject;
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const budgetSeconds = number(
		context,
		options,
		'retryBudgetSeconds',
		'Retry Budget (Seconds)',
		DEFAULT_RETRY_BUDGET_SECONDS,
		0.1,
	);
	const budgetMs = Math.round(budgetSeconds * 1000);

	return {
		events,
		priorities: toList(filters.priorities),
		statuses: toList(filters.statuses),
		tenants: toList(filters.tenants),
		simplify: context.getNodeParameter('simplify', true) as boolean,
		ownAuthorName: typeof options.ownAuthorName === 'string' ? options.ownAuthorName.trim() : '',
		overlapMs:
			number(
				context,
				options,
				'overlapMinutes',
				'Overlap Window (Minutes)',
				DEFAULT_OVERLAP_MINUTES,
				0,
			) * 60_000,
		lookBackMs:
			number(context, options, 'lookBackHours', 'Look-Back Window (Hours)', 0, 0) * 3_600_000,
		maxEvents: Math.floor(
			number(context, options, 'maxEventsPerPoll', 'Max Events per Poll', DEFAULT_MAX_EVENTS, 1),
		),
		retry: {
			budgetMs,
			baseDelayMs: Math.min(500, Math.max(50, Math.round(budgetMs / 8))),
			maxDelayMs: Math.min(10_000, budgetMs),
		},
	};
}

/** The filters MDR applies itself (status is checked here only, see `accepts`). */
export function serverFilters(settings: TriggerSettings): IDataObject {
	const body: IDataObject = {};
	if (settings.priorities.length > 0) body.priorities = settings.priorities;
	if (settings.tenants.length > 0) body.tenants_names = settings.tenants;
	return body;
}

/**
 * The filters checked on each incident. Status is filtered here rather than by MDR so that the
 * trigger still sees incidents leaving the chosen statuses and keeps its status memory right.
 */
export function accepts(settings: TriggerSettings): (incident: MdrIncident) => boolean {
	const priorities = new Set(settings.priorities);
	const statuses = new Set(settings.statuses);
	const tenants = new Set(settings.tenants);
	return (incident) =>
		(priorities.size === 0 || priorities.has(String(incident.priority))) &&
		(statuses.size === 0 || statuses.has(String(incident.status))) &&
		(tenants.size === 0 || tenants.has(String(incident.tenant_name)));
}
