import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { BatchEntry } from '../types';
import {
	decisionProperties,
	executeDecisions,
	prepareDecision,
	type DecisionParams,
} from '../../helpers/responseDecision';

export const description = updateDisplayOptions(
	{ show: { resource: ['response'], operation: ['confirm'] } },
	decisionProperties('confirm'),
);

export function prepare(this: IExecuteFunctions, itemIndex: number): DecisionParams {
	return prepareDecision(this, itemIndex);
}

/** Consecutive items with the same comment are confirmed in one bulk call. */
export async function executeBatch(
	this: IExecuteFunctions,
	entries: Array<BatchEntry<DecisionParams>>,
): Promise<Array<INodeExecutionData[] | Error>> {
	return await executeDecisions(this, 'Confirmed', entries);
}
