import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import {
	incidentFilterBody,
	incidentFilters,
	incidentSort,
} from '../../descriptions/incidentFilters';
import { returnAllOrLimit } from '../../descriptions/returnAll';
import { simplifyIncident as simplifyOption } from '../../descriptions/simplify';
import { getLimit, toItems, upToLimit } from '../../helpers/parameters';
import { SIMPLE_INCIDENT_FIELDS, simplifyIncident } from '../../helpers/simplify';
import { RESULT_WINDOW, listPaged, type TimeKey } from '../../transport/paging';
import { mdrRequest } from '../../transport/request';

const properties: INodeProperties[] = [
	...returnAllOrLimit,
	incidentFilters,
	incidentSort,
	simplifyOption,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['incident'], operation: ['getMany'] } },
	properties,
);

const TIME_KEYS: Record<string, { minParam: string; maxParam: string }> = {
	creation_time: { minParam: 'min_creation_time', maxParam: 'max_creation_time' },
	update_time: { minParam: 'min_update_time', maxParam: 'max_update_time' },
};

/** Sorting by a time lets the listing continue past MDR's result window. */
export function timeKeyOf(sort: string): TimeKey | undefined {
	const [field, direction] = sort.split(':');
	const params = TIME_KEYS[field];
	if (params === undefined || (direction !== 'asc' && direction !== 'desc')) return undefined;
	return { field, direction, ...params };
}

const PRIORITY_RANK: Record<string, number> = { HIGH: 3, NORMAL: 2, LOW: 1 };

/**
 * The order of a non-time sort, applied here when there are more matches than MDR can page
 * through in that order: by the field, then newest first.
 */
function compareBy(sort: string): (a: IDataObject, b: IDataObject) => number {
	const [field, direction] = sort.split(':');
	const sign = direction === 'asc' ? 1 : -1;
	const value = (incident: IDataObject) =>
		field === 'priority'
			? (PRIORITY_RANK[String(incident.priority)] ?? 0)
			: Number(incident[field]) || 0;
	return (a, b) =>
		sign * (value(a) - value(b)) || Number(b.creation_time ?? 0) - Number(a.creation_time ?? 0);
}

/**
 * MDR pages through at most 10,000 results in one order. Past that, only a time order can go on
 * (by narrowing the time range), so a larger listing in another order is read by creation time
 * and sorted here.
 */
async function exceedsWindow(
	context: IExecuteFunctions,
	filters: IDataObject,
	itemIndex: number,
): Promise<boolean> {
	const { count } = await mdrRequest<{ count?: number }>(context, {
		path: 'incidents/count',
		body: filters,
		kind: 'read',
		itemIndex,
	});
	return typeof count === 'number' && count > RESULT_WINDOW;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const limit = getLimit(this, itemIndex);
	const sort = this.getNodeParameter('sort', itemIndex, 'creation_time:desc') as string;
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	const filters = incidentFilterBody(this, itemIndex);

	const mayExceedWindow = limit === undefined || limit > RESULT_WINDOW;
	const sortHere =
		timeKeyOf(sort) === undefined &&
		mayExceedWindow &&
		(await exceedsWindow(this, filters, itemIndex));
	const listSort = sortHere ? 'creation_time:desc' : sort;

	const body: IDataObject = { ...filters, sort: listSort };
	if (simplify) body.fields = SIMPLE_INCIDENT_FIELDS;
	const listed = await listPaged(this, {
		path: 'incidents/list',
		body,
		idField: 'incident_id',
		limit: sortHere ? undefined : limit,
		timeKey: timeKeyOf(listSort),
		itemIndex,
		noun: 'incidents',
	});
	const incidents = sortHere ? upToLimit(listed.sort(compareBy(sort)), limit) : listed;
	return toItems(simplify ? incidents.map(simplifyIncident) : incidents);
}
