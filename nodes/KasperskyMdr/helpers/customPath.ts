import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

const SEGMENT = /^[A-Za-z0-9_-]+$/;

/**
 * A Custom API Call path, checked so the request can only go to `{API URL}/{Client ID}/<path>`:
 * plain segments of letters, digits, `_` and `-`. Everything that could reach another host or
 * another directory (a URL, `//host`, `..`, backslashes, percent-encoding, a query) is refused
 * with the reason, rather than cleaned up silently.
 */
export function checkCustomPath(node: INode, value: unknown, itemIndex: number): string {
	const refuse = (message: string, description: string) =>
		new NodeOperationError(node, message, { itemIndex, description });
	const hint = 'Enter a path under the client such as incidents/list or responses/update.';
	const path = typeof value === 'string' ? value.trim() : '';

	if (path === '') throw refuse('The Path is empty', hint);
	if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(path) || path.startsWith('//')) {
		throw refuse(
			`The Path '${path}' is a URL, not a path`,
			`The node always calls the API URL of the credential. ${hint}`,
		);
	}
	if (path.includes('\\')) {
		throw refuse(`The Path '${path}' contains a backslash`, hint);
	}
	if (path.includes('%')) {
		throw refuse(
			`The Path '${path}' contains percent-encoding`,
			`Encoded characters could lead the request out of the API, so they are not accepted. ${hint}`,
		);
	}
	if (/[?#]/.test(path)) {
		throw refuse(
			`The Path '${path}' contains a query or fragment`,
			'MDR takes every parameter in the JSON body: move them from the path into Body.',
		);
	}
	const segments = path.replace(/^\/(?!\/)/, '').split('/');
	if (segments.some((segment) => segment === '..' || segment === '.')) {
		throw refuse(`The Path '${path}' tries to leave the API with '.' or '..'`, hint);
	}
	if (!segments.every((segment) => SEGMENT.test(segment))) {
		throw refuse(
			`The Path '${path}' has characters MDR paths never use`,
			`A path is made of letters, digits, '_' and '-', separated by '/'. ${hint}`,
		);
	}
	return segments.join('/');
}
