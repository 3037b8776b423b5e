import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import * as asset from './asset';
import * as attachment from './attachment';
import * as comment from './comment';
import * as customApiCall from './customApiCall';
import * as incident from './incident';
import * as response from './response';
import { isBatchOperation, type BatchEntry, type MdrOperation } from './types';

const resources: Record<string, Record<string, MdrOperation>> = {
	asset: asset.operations,
	attachment: attachment.operations,
	comment: comment.operations,
	customApiCall: customApiCall.operations,
	incident: incident.operations,
	response: response.operations,
};

/** The error as the user should see it, tied to the item that caused it. */
function withItemIndex(context: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

/**
 * Runs the selected operation over the input items, in order. Every output item is paired with
 * its input item; a failed item either stops the node with an error naming the item, or, with
 * "Continue On Fail", becomes an `{ error }` item and the run carries on.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = resources[resource]?.[operationName];
	if (operation === undefined) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation '${operationName}' of '${resource}' is not supported`,
			{ description: 'Choose a resource and an operation from the lists.' },
		);
	}

	const output: INodeExecutionData[] = [];
	const settle = (itemIndex: number, outcome: INodeExecutionData[] | unknown) => {
		if (Array.isArray(outcome)) {
			for (const item of outcome) output.push({ ...item, pairedItem: { item: itemIndex } });
			return;
		}
		const error = withItemIndex(this, outcome, itemIndex);
		if (!this.continueOnFail()) throw error;
		const description = (error as { description?: unknown }).description;
		const json = typeof description === 'string' && description !== ''
			? { error: error.message, description }
			: { error: error.message };
		output.push({ json, pairedItem: { item: itemIndex } });
	};

	if (!isBatchOperation(operation)) {
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				settle(itemIndex, await operation.execute.call(this, itemIndex));
			} catch (error) {
				settle(itemIndex, error);
			}
		}
		return [output];
	}

	let batch: Array<BatchEntry<{ batchKey: string }>> = [];
	const flush = async () => {
		if (batch.length === 0) return;
		const entries = batch;
		batch = [];
		let outcomes: Array<INodeExecutionData[] | Error>;
		try {
			outcomes = await operation.executeBatch.call(this, entries);
		} catch (error) {
			outcomes = entries.map(() => error as Error);
		}
		entries.forEach((entry, position) => settle(entry.itemIndex, outcomes[position]));
	};

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		let params: { batchKey: string };
		try {
			params = operation.prepare.call(this, itemIndex);
		} catch (error) {
			await flush();
			settle(itemIndex, error);
			continue;
		}
		if (batch.length > 0 && batch[0].params.batchKey !== params.batchKey) await flush();
		batch.push({ itemIndex, params });
	}
	await flush();
	return [output];
}
