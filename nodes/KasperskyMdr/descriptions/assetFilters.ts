import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { filterBody, type FilterKinds } from '../helpers/filters';
import { tenantsFilter } from './options';

/** The filters of assets/list and assets/count, as one collection. */
export const assetFilters: INodeProperties = {
	displayName: 'Filters',
	name: 'filters',
	type: 'collection',
	placeholder: 'Add Filter',
	default: {},
	options: [
		{
			displayName: 'Domain',
			name: 'domain',
			type: 'string',
			default: '',
			description: 'Only assets in this Windows domain or workgroup, e.g. CORP',
		},
		{
			displayName: 'First Seen After',
			name: 'min_first_seen',
			type: 'dateTime',
			default: '',
			description: 'Only assets MDR first saw at or after this time (ISO 8601 or milliseconds)',
		},
		{
			displayName: 'First Seen Before',
			name: 'max_first_seen',
			type: 'dateTime',
			default: '',
			description: 'Only assets MDR first saw at or before this time (ISO 8601 or milliseconds)',
		},
		{
			displayName: 'Host Names',
			name: 'host_names',
			type: 'string',
			default: '',
			description: 'Exact host names, separated by commas',
		},
		{
			displayName: 'Is Isolated',
			name: 'is_isolated',
			type: 'boolean',
			default: true,
			description:
				'Whether to return only isolated assets (on) or only assets that are not isolated (off)',
		},
		{
			displayName: 'Last Seen After',
			name: 'min_last_seen',
			type: 'dateTime',
			default: '',
			description: 'Only assets last seen at or after this time (ISO 8601 or milliseconds)',
		},
		{
			displayName: 'Last Seen Before',
			name: 'max_last_seen',
			type: 'dateTime',
			default: '',
			description: 'Only assets last seen at or before this time (ISO 8601 or milliseconds)',
		},
		{
			displayName: 'Network Interface',
			name: 'network_interface',
			type: 'string',
			default: '',
			description: 'Part of an IP or MAC address',
		},
		{
			displayName: 'OS Version',
			name: 'os_version',
			type: 'string',
			default: '',
			description: 'Part of the operating system name, e.g. Windows 10',
		},
		{
			displayName: 'Product',
			name: 'product',
			type: 'string',
			default: '',
			description: 'Part of the name of the Kaspersky product installed on the asset',
		},
		{
			displayName: 'Related Incident IDs',
			name: 'related_incidents_ids',
			type: 'string',
			default: '',
			description: 'Only assets affected by these incidents (IDs separated by commas)',
		},
		{
			displayName: 'Search Phrase',
			name: 'search_phrase',
			type: 'string',
			default: '',
			description: 'Text to look for in the asset, such as part of a host name',
		},
		{
			displayName: 'Statuses',
			name: 'statuses',
			type: 'multiOptions',
			default: [],
			description: 'Only assets whose MDR health status is one of these',
			options: [
				{ name: 'Absent', value: 'ABSENT' },
				{ name: 'Critical', value: 'CRITICAL' },
				{ name: 'Offline', value: 'OFFLINE' },
				{ name: 'OK', value: 'OK' },
				{ name: 'Warning', value: 'WARNING' },
			],
		},
		tenantsFilter('assets'),
		{
			displayName: 'Version',
			name: 'version',
			type: 'options',
			default: 2,
			description:
				'Version of MDR’s asset records to filter and answer with (1 or 2). Leave this filter out to get MDR’s default.',
			options: [
				{ name: '1', value: 1 },
				{ name: '2', value: 2 },
			],
		},
	],
};

const ASSET_FILTER_KINDS: FilterKinds = {
	dates: {
		min_first_seen: 'First Seen After',
		max_first_seen: 'First Seen Before',
		min_last_seen: 'Last Seen After',
		max_last_seen: 'Last Seen Before',
	},
	lists: ['host_names', 'related_incidents_ids', 'statuses', 'tenants_names'],
	texts: ['domain', 'network_interface', 'os_version', 'product', 'search_phrase'],
	booleans: ['is_isolated'],
	numbers: ['version'],
};

export function assetFilterBody(context: IExecuteFunctions, itemIndex: number): IDataObject {
	return filterBody(context, itemIndex, ASSET_FILTER_KINDS);
}

export const assetSort: INodeProperties = {
	displayName: 'Sort',
	name: 'sort',
	type: 'options',
	default: 'first_seen:desc',
	description: 'Order of the results',
	options: [
		{ name: 'First Seen (Newest First)', value: 'first_seen:desc' },
		{ name: 'First Seen (Oldest First)', value: 'first_seen:asc' },
		{ name: 'Host Name (A–Z)', value: 'host_name:asc' },
		{ name: 'Last Seen (Newest First)', value: 'last_seen:desc' },
		{ name: 'Last Seen (Oldest First)', value: 'last_seen:asc' },
	],
};
