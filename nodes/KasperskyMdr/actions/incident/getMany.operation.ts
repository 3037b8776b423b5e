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
import { getLimit, toItems } from '../../helpers/parameters';
import { SIMPLE_INCIDENT_FIELDS, simplifyIncident } from '../../helpers/simplify';
import { listPaged, type TimeKey } from '../../transport/paging';

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

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const limit = getLimit(this, itemIndex);
	const sort = this.getNodeParameter('sort', itemIndex, 'creation_time:desc') as string;
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;

	const body: IDataObject = { ...incidentFilterBody(this, itemIndex), sort };
	if (simplify) body.fields = SIMPLE_INCIDENT_FIELDS;
	const incidents = await listPaged(this, {
		path: 'incidents/list',
		body,
		idField: 'incident_id',
		limit,
		timeKey: timeKeyOf(sort),
		itemIndex,
		noun: 'incidents',
	});
	return toItems(simplify ? incidents.map(simplifyIncident) : incidents);
}
