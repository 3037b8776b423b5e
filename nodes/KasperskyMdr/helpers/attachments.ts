import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { mdrRequest } from '../transport/request';

/** The attachments of an incident (attachments/list is not paged). */
export async function listAttachments(
	context: IExecuteFunctions,
	incidentId: string,
	itemIndex: number,
): Promise<IDataObject[]> {
	const answer = await mdrRequest<unknown>(context, {
		path: 'attachments/list',
		body: { incident_id: incidentId },
		kind: 'read',
		itemIndex,
	});
	return Array.isArray(answer) ? (answer as IDataObject[]) : [];
}

export function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} bytes`;
	if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
