import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { BatchEntry } from '../actions/types';
import { mdrRequest } from '../transport/request';
import { requireId, requireText } from './parameters';

export type Decision = 'Confirmed' | 'Declined';

export interface DecisionParams {
	batchKey: string;
	responseId: string;
	comment: string;
}

export function decisionProperties(verb: string): INodeProperties[] {
	return [
		{
			displayName: 'Response ID',
			name: 'responseId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. MDR_3f0c2a9e-…',
			description: `ID of the response to ${verb} (response_id, starts with MDR_)`,
		},
		{
			displayName: 'Comment',
			name: 'comment',
			type: 'string',
			typeOptions: { rows: 2 },
			required: true,
			default: '',
			description: `Why you ${verb} the response; the SOC sees this text`,
		},
	];
}

/** HTTP statuses that mean MDR refused the whole call, so nothing in it was applied. */
const REFUSED = new Set(['400', '404', '409', '422']);

function failure(
	context: IExecuteFunctions,
	itemIndex: number,
	message: string,
	description: string,
) {
	return new NodeApiError(context.getNode(), { message, description } as JsonObject, {
		message,
		description,
		itemIndex,
	});
}

function decided(responseId: string, status: Decision, comment: string, answer?: unknown) {
	const object =
		answer !== null && typeof answer === 'object' && !Array.isArray(answer)
			? (answer as IDataObject)
			: {};
	return [{ json: { ...object, response_id: responseId, status, comment } }];
}

async function decideOne(
	context: IExecuteFunctions,
	status: Decision,
	entry: BatchEntry<DecisionParams>,
): Promise<INodeExecutionData[] | Error> {
	const { responseId, comment } = entry.params;
	try {
		const answer = await mdrRequest<unknown>(context, {
			path: 'response/update',
			body: { response_id: responseId, status, comment },
			kind: 'write',
			itemIndex: entry.itemIndex,
		});
		return decided(responseId, status, comment, answer);
	} catch (error) {
		return error as Error;
	}
}

/** What a bulk answer says about one response: applied, refused (with MDR's words), or nothing. */
function verdictFor(answer: unknown, responseId: string, status: Decision) {
	if (!Array.isArray(answer)) return undefined;
	const entry = (answer as IDataObject[]).find((e) => e && e.response_id === responseId);
	if (entry === undefined) return undefined;
	if (entry.success === false) {
		return { applied: false, said: String(entry.message ?? entry.error ?? 'refused') };
	}
	if (entry.success === true) return { applied: true, object: entry.response };
	if (entry.status === status) return { applied: true, object: entry };
	return undefined;
}

/**
 * Confirms or declines the responses of consecutive items that share a comment. One item goes
 * through `response/update`; several go through `responses/update` in one call. Each response is
 * written at most once: after a bulk call MDR refused outright (4xx: nothing applied), each
 * response is sent on its own; after a failure whose outcome is unknown (timeout, 5xx), nothing
 * is resent and every item reports that.
 */
async function executeDecisions(
	context: IExecuteFunctions,
	status: Decision,
	entries: Array<BatchEntry<DecisionParams>>,
): Promise<Array<INodeExecutionData[] | Error>> {
	const ids = [...new Set(entries.map((entry) => entry.params.responseId))];
	if (ids.length === 1) {
		const outcome = await decideOne(context, status, entries[0]);
		return entries.map(() => outcome);
	}

	const { comment } = entries[0].params;
	let answer: unknown;
	try {
		answer = await mdrRequest<unknown>(context, {
			path: 'responses/update',
			body: { responses_ids: ids, status, comment },
			kind: 'write',
			itemIndex: entries[0].itemIndex,
		});
	} catch (error) {
		if (!REFUSED.has(String((error as { httpCode?: string }).httpCode))) {
			return entries.map(() => error as Error);
		}
		const byId = new Map<string, INodeExecutionData[] | Error>();
		const outcomes: Array<INodeExecutionData[] | Error> = [];
		for (const entry of entries) {
			const known = byId.get(entry.params.responseId);
			const outcome = known ?? (await decideOne(context, status, entry));
			byId.set(entry.params.responseId, outcome);
			outcomes.push(outcome);
		}
		return outcomes;
	}

	return entries.map((entry) => {
		const { responseId } = entry.params;
		const verdict = verdictFor(answer, responseId, status);
		if (verdict === undefined) {
			// A success answer that does not list each response: MDR accepted the call as a whole.
			return decided(responseId, status, comment);
		}
		if (!verdict.applied) {
			return failure(
				context,
				entry.itemIndex,
				`MDR did not set response ${responseId} to ${status}: ${verdict.said}`,
				'Check that the response ID is right and that the response is still awaiting a decision.',
			);
		}
		return decided(responseId, status, comment, verdict.object);
	});
}

/**
 * The `prepare` and `executeBatch` of the Confirm or Decline operation, which differ only in the
 * status they set. Consecutive items with the same comment are decided in one bulk call.
 */
export function decisionOperation(status: Decision) {
	return {
		prepare(this: IExecuteFunctions, itemIndex: number): DecisionParams {
			const responseId = requireId(this, 'responseId', 'response ID', itemIndex);
			const comment = requireText(this, 'comment', 'comment', itemIndex);
			return { batchKey: comment, responseId, comment };
		},

		async executeBatch(
			this: IExecuteFunctions,
			entries: Array<BatchEntry<DecisionParams>>,
		): Promise<Array<INodeExecutionData[] | Error>> {
			return await executeDecisions(this, status, entries);
		},
	};
}
