import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { filterBody, type FilterKinds } from '../helpers/filters';
import { incidentPriorityOptions, incidentStatusOptions, tenantsFilter } from './options';

/** The filters of incidents/list and incidents/count, as one collection. */
export const incidentFilters: INodeProperties = {
	displayName: 'Filters',
	name: 'filters',
	type: 'collection',
	placeholder: 'Add Filter',
	default: {},
	options: [
		{
			displayName: 'Affected Hosts',
			name: 'affected_hosts',
			type: 'string',
			default: '',
			description: 'Host names or asset IDs, separated by commas',
		},
		{
			displayName: 'Asset IDs',
			name: 'asset_ids',
			type: 'string',
			default: '',
			description: 'Asset IDs (0x…), separated by commas',
		},
		{
			displayName: 'Created After',
			name: 'min_creation_time',
			type: 'dateTime',
			default: '',
			description: 'Only incidents created at or after this time (ISO 8601 or milliseconds)',
		},
		{
			displayName: 'Created Before',
			name: 'max_creation_time',
			type: 'dateTime',
			default: '',
			description: 'Only incidents created at or before this time (ISO 8601 or milliseconds)',
		},
		{
			displayName: 'Detection Technologies',
			name: 'detection_technologies',
			type: 'string',
			default: '',
			placeholder: 'e.g. EDR, KATA',
			description: 'Separated by commas',
		},
		{
			displayName: 'MITRE Tactics',
			name: 'mitre_tactics',
			type: 'string',
			default: '',
			placeholder: 'e.g. Execution, Credential access',
			description: 'Separated by commas',
		},
		{
			displayName: 'MITRE Techniques',
			name: 'mitre_techniques',
			type: 'string',
			default: '',
			placeholder: 'e.g. T1059.001, T1003.001',
			description: 'Technique IDs, separated by commas',
		},
		{
			displayName: 'Priorities',
			name: 'priorities',
			type: 'multiOptions',
			default: [],
			description: 'Only incidents of these priorities',
			options: incidentPriorityOptions,
		},
		{
			displayName: 'Resolutions',
			name: 'resolutions',
			type: 'multiOptions',
			default: [],
			description: 'Only incidents closed with one of these resolutions; None Yet matches incidents not resolved',
			options: [
				{ name: 'False Positive', value: 'False positive' },
				{ name: 'None Yet', value: '' },
				{ name: 'True Positive', value: 'True positive' },
			],
		},
		{
			displayName: 'Response Statuses',
			name: 'response_statuses',
			type: 'string',
			default: '',
			placeholder: 'e.g. Confirmed, Declined',
			description: 'Only incidents with a response in one of these statuses, separated by commas',
		},
		{
			displayName: 'Response Types',
			name: 'response_types',
			type: 'string',
			default: '',
			placeholder: 'e.g. RUN_SCRIPT, NETWORK_ISOLATION',
			description: 'Only incidents with a response of one of these types, separated by commas',
		},
		{
			displayName: 'Search Phrase',
			name: 'search_phrase',
			type: 'string',
			default: '',
			description: 'Text to look for; an incident number such as 10234 or K-10234 also works',
		},
		{
			displayName: 'Statuses',
			name: 'statuses',
			type: 'multiOptions',
			default: [],
			description: 'Only incidents in one of these statuses',
			options: incidentStatusOptions,
		},
		tenantsFilter('incidents'),
		{
			displayName: 'Updated After',
			name: 'min_update_time',
			type: 'dateTime',
			default: '',
			description: 'Only incidents changed at or after this time (ISO 8601 or milliseconds)',
		},
		{
			displayName: 'Updated Before',
			name: 'max_update_time',
			type: 'dateTime',
			default: '',
			description: 'Only incidents changed at or before this time (ISO 8601 or milliseconds)',
		},
	],
};

const INCIDENT_FILTER_KINDS: FilterKinds = {
	dates: {
		min_creation_time: 'Created After',
		max_creation_time: 'Created Before',
		min_update_time: 'Updated After',
		max_update_time: 'Updated Before',
	},
	lists: [
		'affected_hosts',
		'asset_ids',
		'detection_technologies',
		'mitre_tactics',
		'mitre_techniques',
		'priorities',
		'resolutions',
		'response_statuses',
		'response_types',
		'statuses',
		'tenants_names',
	],
	// The resolution '' (None Yet: not resolved) is a real value.
	listsWithEmptyValue: ['resolutions'],
	texts: ['search_phrase'],
};

export function incidentFilterBody(context: IExecuteFunctions, itemIndex: number): IDataObject {
	return filterBody(context, itemIndex, INCIDENT_FILTER_KINDS);
}

export const incidentSort: INodeProperties = {
	displayName: 'Sort',
	name: 'sort',
	type: 'options',
	default: 'creation_time:desc',
	description:
		'Order of the results. Past MDR’s 10,000-result window, an order other than by time is applied by n8n after reading every match by creation time (Priority: High, Normal, Low, newest first within each).',
	options: [
		{ name: 'Created (Newest First)', value: 'creation_time:desc' },
		{ name: 'Created (Oldest First)', value: 'creation_time:asc' },
		{ name: 'Number (Highest First)', value: 'incident_number:desc' },
		{ name: 'Priority (High First)', value: 'priority:desc' },
		{ name: 'Updated (Least Recent First)', value: 'update_time:asc' },
		{ name: 'Updated (Most Recent First)', value: 'update_time:desc' },
	],
};
