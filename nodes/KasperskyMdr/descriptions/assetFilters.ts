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
		{ displayName: 'Domain', name: 'domain', type: 'string', default: '' },
		{
			displayName: 'First Seen After',
			name: 'min_first_seen',
			type: 'dateTime',
			default: '',
		},
		{
			displayName: 'First Seen Before',
			name: 'max_first_seen',
			type: 'dateTime',
			default: '',
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
		{ displayName: 'Last Seen After', name: 'min_last_seen', type: 'dateTime', default: '' },
		{ displayName: 'Last Seen Before', name: 'max_last_seen', type: 'dateTime', default: '' },
		{
			displayName: 'Network Interface',
			name: 'network_interface',
			type: 'string',
			default: '',
			description: 'Part of an IP or MAC address',
		},
		{ displayName: 'OS Version', name: 'os_version', type: 'string', default: '' },
		{ displayName: 'Product', name: 'product', type: 'string', default: '' },
		{
			displayName: 'Related Incident IDs',
			name: 'related_incidents_ids',
			type: 'string',
			default: '',
			description: 'Only assets affected by these incidents (IDs separated by commas)',
		},
		{ displayName: 'Search Phrase', name: 'search_phrase', type: 'string', default: '' },
		{
			displayName: 'Statuses',
			name: 'statuses',
			type: 'multiOptions',
			default: [],
			options: [
				{ name: 'Absent', value: 'ABSENT' },
				{ name: 'Critical', value: 'CRITICAL' },
				{ name: 'Offline', value: 'OFFLINE' },
				{ name: 'OK', value: 'OK' },
				{ name: 'Warning', value: 'WARNING' },
			],
		},
		tenantsFilter('assets'),
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
