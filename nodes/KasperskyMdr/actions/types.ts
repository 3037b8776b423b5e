import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

/** An operation that handles one input item at a time. */
export interface ItemOperation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]>;
}

/** One input item of a batch, with the parameters read from it. */
export interface BatchEntry<P> {
	itemIndex: number;
	params: P;
}

/**
 * An operation that can send consecutive items in one request. `prepare` reads and checks one
 * item's parameters; consecutive items with the same `batchKey` are handed to `executeBatch`
 * together, which answers with one outcome per entry, in order.
 */
export interface BatchOperation<P extends { batchKey: string }> {
	description: INodeProperties[];
	prepare(this: IExecuteFunctions, itemIndex: number): P;
	executeBatch(
		this: IExecuteFunctions,
		entries: Array<BatchEntry<P>>,
	): Promise<Array<INodeExecutionData[] | Error>>;
}

export type MdrOperation = ItemOperation | BatchOperation<{ batchKey: string }>;

export function isBatchOperation(
	operation: MdrOperation,
): operation is BatchOperation<{ batchKey: string }> {
	return 'executeBatch' in operation;
}
