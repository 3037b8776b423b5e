import type { INodeProperties } from 'n8n-workflow';

import {
	incidentPriorityOptions,
	incidentStatusOptions,
} from '../KasperskyMdr/descriptions/options';

export const DEFAULT_OVERLAP_MINUTES = 5;
export const DEFAULT_MAX_EVENTS = 500;
export const DEFAULT_RETRY_BUDGET_SECONDS = 20;

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: ['newIncident'],
		options: [
			{
				name: 'Incident Status Changed',
				value: 'incidentStatusChanged',
				description: 'The status of a known incident changed (Open, On hold, Resolved, Closed)',
			},
			{
				name: 'Incident Updated',
				value: 'incidentUpdated',
				description:
					'Anything in an existing incident changed, including a new comment, response or attachment',
			},
			{
				name: 'New Attachment',
				value: 'newAttachment',
				description: 'A file was attached to an incident',
			},
			{
				name: 'New Comment',
				value: 'newComment',
				description: 'A comment was added to an incident',
			},
			{
				name: 'New Incident',
				value: 'newIncident',
				description: 'The SOC opened an incident',
			},
			{
				name: 'New Response',
				value: 'newResponse',
				description: "The SOC proposed a response action that awaits the customer's decision",
			},
			{
				name: 'Response Status Changed',
				value: 'responseStatusChanged',
				description: 'A response action was confirmed or declined (by a person or by its timeout)',
			},
		],
		description: 'Which changes in MDR start the workflow; each change is one item',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Priorities',
				name: 'priorities',
				type: 'multiOptions',
				default: [],
				options: incidentPriorityOptions,
				description: 'Only incidents with one of these priorities (none selected: all)',
			},
			{
				displayName: 'Statuses',
				name: 'statuses',
				type: 'multiOptions',
				default: [],
				options: incidentStatusOptions,
				description:
					'Only incidents whose status, after the change, is one of these (none selected: all)',
			},
			{
				displayName: 'Tenant Names',
				name: 'tenants',
				type: 'string',
				default: '',
				placeholder: 'e.g. Acme Corp, Acme Labs',
				description: 'Only incidents of these tenants, separated by commas (empty: all)',
			},
		],
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description:
			'Whether to return a compact incident (ID, number, summary, priority, status, tenant, hosts, detection, ISO times, link) instead of the full object MDR sends with all its comments, attachments and responses',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Look-Back Window (Hours)',
				name: 'lookBackHours',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description:
					'On first activation (or after the trigger lost its saved state), also deliver the changes of this many past hours. 0 starts from now and delivers nothing old.',
			},
			{
				displayName: 'Max Events per Poll',
				name: 'maxEventsPerPoll',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_MAX_EVENTS,
				description:
					'When more changes are waiting, the next polls continue where this one stopped; nothing is dropped',
			},
			{
				displayName: 'Overlap Window (Minutes)',
				name: 'overlapMinutes',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_OVERLAP_MINUTES,
				description:
					'Each poll reads again this far behind the last change it saw, to catch changes that MDR lists late. Already delivered events are not delivered again.',
			},
			{
				displayName: 'Own Author Name',
				name: 'ownAuthorName',
				type: 'string',
				default: '',
				placeholder: 'e.g. n8n integration',
				description:
					'The name of this API connection, as MDR shows it as the author of comments and attachments it creates. Those are then not delivered, so a workflow that comments back does not trigger itself. Empty: deliver all.',
			},
			{
				displayName: 'Retry Budget (Seconds)',
				name: 'retryBudgetSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_RETRY_BUDGET_SECONDS,
				description:
					'How long one request may be retried when MDR is rate limiting or failing. Keep it well below the poll interval. When it runs out, the poll delivers what it has completed and the next poll continues.',
			},
		],
	},
];
