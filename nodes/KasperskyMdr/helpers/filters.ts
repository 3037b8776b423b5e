import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { toMillis } from './dates';
import { toList } from './parameters';

/** How each filter of a Filters collection goes into an MDR request body. */
export interface FilterKinds {
	/** Date filters, each with the label an error about a bad date names. */
	dates: Record<string, string>;
	/** Filters MDR takes as arrays; comma-separated text is split. */
	lists: string[];
	/** Lists in which an empty entry is a value of its own, kept when chosen from the dropdown. */
	listsWithEmptyValue?: string[];
	/** Filters MDR takes as one trimmed string. */
	texts?: string[];
	/** Switches, sent as true or false. */
	booleans?: string[];
	/** Choices whose values are numbers, sent as they are. */
	numbers?: string[];
}

/**
 * The Filters collection as an MDR request body: dates as milliseconds, lists as arrays, texts
 * trimmed. A filter left empty is not sent, so it does not narrow the results.
 */
export function filterBody(
	context: IExecuteFunctions,
	itemIndex: number,
	kinds: FilterKinds,
): IDataObject {
	const filters = context.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const body: IDataObject = {};
	for (const [name, value] of Object.entries(filters)) {
		if (name in kinds.dates) {
			if (value === '' || value === null || value === undefined) continue;
			body[name] = toMillis(context, value, kinds.dates[name], itemIndex);
		} else if (kinds.lists.includes(name)) {
			const keepEmpty = kinds.listsWithEmptyValue?.includes(name) && Array.isArray(value);
			const list = keepEmpty ? (value as unknown[]).map(String) : toList(value);
			if (list.length > 0) body[name] = list;
		} else if (kinds.texts?.includes(name)) {
			const text = String(value).trim();
			if (text !== '') body[name] = text;
		} else if (kinds.booleans?.includes(name)) {
			body[name] = value === true;
		} else if (kinds.numbers?.includes(name) && typeof value === 'number') {
			body[name] = value;
		}
	}
	return body;
}
