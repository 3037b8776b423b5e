import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { INCIDENT_WEB_URL } from './simplify';

const ID_PATTERN = /^[A-Za-z0-9_.:-]+$/;

/** An MDR object id from a parameter: required, one token, no spaces or slashes. */
export function requireId(
	context: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
): string {
	const raw = context.getNodeParameter(name, itemIndex, '', { extractValue: true }) as unknown;
	const value = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
	if (value === '') {
		throw new NodeOperationError(context.getNode(), `The ${label} is empty`, {
			itemIndex,
			description: `Enter the ${label} (or map it from a previous node's output).`,
		});
	}
	if (!ID_PATTERN.test(value)) {
		throw new NodeOperationError(context.getNode(), `'${value}' is not a valid ${label}`, {
			itemIndex,
			description: `An MDR ${label} has only letters, digits and the characters _ . : - (no spaces or slashes).`,
		});
	}
	return value;
}

/**
 * The incident an operation works on, from the incident picker. A pasted web link is accepted in
 * the ID field too, since users copy it from the browser.
 */
export function getIncidentId(context: IExecuteFunctions, itemIndex: number): string {
	const raw = context.getNodeParameter('incidentId', itemIndex, '', {
		extractValue: true,
	}) as unknown;
	const text = typeof raw === 'string' ? raw.trim() : typeof raw === 'number' ? String(raw) : '';
	const fromUrl = text.startsWith(INCIDENT_WEB_URL)
		? decodeURIComponent(text.slice(INCIDENT_WEB_URL.length).split(/[/?#]/)[0])
		: text;
	if (fromUrl === '') {
		throw new NodeOperationError(context.getNode(), 'No incident is selected', {
			itemIndex,
			description:
				'Choose an incident from the list, enter its ID, or paste its link (https://mdr.kaspersky.com/incidents/<id>).',
		});
	}
	if (!ID_PATTERN.test(fromUrl)) {
		throw new NodeOperationError(context.getNode(), `'${fromUrl}' is not a valid incident ID`, {
			itemIndex,
			description:
				'An incident ID is a 20-character code such as the last part of https://mdr.kaspersky.com/incidents/<id>. To find an incident by its number (K-12345), choose it from the list instead.',
		});
	}
	return fromUrl;
}

/** Required free text (a summary, a comment): trimmed, and never empty. */
export function requireText(
	context: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
): string {
	const value = context.getNodeParameter(name, itemIndex, '') as unknown;
	const text = typeof value === 'string' ? value.trim() : value === undefined ? '' : String(value);
	if (text === '') {
		throw new NodeOperationError(context.getNode(), `The ${label} is empty`, {
			itemIndex,
			description: `Enter the ${label}; MDR does not accept an empty one.`,
		});
	}
	return text;
}

/** A list parameter given as an array or as comma-separated text. */
export function toList(value: unknown): string[] {
	const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	return parts.map((part) => String(part).trim()).filter((part) => part !== '');
}

/** Return All, or the Limit (checked: at least 1). */
export function getLimit(context: IExecuteFunctions, itemIndex: number): number | undefined {
	if (context.getNodeParameter('returnAll', itemIndex, false) as boolean) return undefined;
	const limit = context.getNodeParameter('limit', itemIndex, 50) as number;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		throw new NodeOperationError(context.getNode(), `Limit must be 1 or more (it is ${limit})`, {
			itemIndex,
			description: 'Set Limit to the number of results you want, or turn on Return All.',
		});
	}
	return limit;
}

/** The first `limit` entries of a list read in full, or all of them when Return All is on. */
export function upToLimit<T>(list: T[], limit: number | undefined): T[] {
	return limit === undefined ? list : list.slice(0, limit);
}

export function toItems(objects: IDataObject[]): INodeExecutionData[] {
	return objects.map((json) => ({ json }));
}

/** MDR answers some writes with an empty body: turn that into a readable result. */
export function answerOrDefault(answer: unknown, fallback: IDataObject): IDataObject {
	if (answer !== null && typeof answer === 'object' && !Array.isArray(answer)) {
		const object = answer as IDataObject;
		if (Object.keys(object).length > 0) return { ...fallback, ...object };
	}
	return fallback;
}
