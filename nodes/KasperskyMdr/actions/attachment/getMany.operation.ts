import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { incidentLocator } from '../../descriptions/incidentLocator';
import { returnAllOrLimit } from '../../descriptions/returnAll';
import { getIncidentId, getLimit, toItems, upToLimit } from '../../helpers/parameters';
import { listAttachments } from '../../helpers/attachments';

const properties: INodeProperties[] = [incidentLocator, ...returnAllOrLimit];

export const description = updateDisplayOptions(
	{ show: { resource: ['attachment'], operation: ['getMany'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const incidentId = getIncidentId(this, itemIndex);
	const limit = getLimit(this, itemIndex);
	const attachments: IDataObject[] = await listAttachments(this, incidentId, itemIndex);
	return toItems(upToLimit(attachments, limit));
}
