import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { incidentLink } from '../helpers/simplify';
import { mdrRequest } from '../transport/request';

const PAGE_SIZE = 50;

/** The incident picker: newest first, searched by MDR's search phrase (number or text). */
export async function searchIncidents(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = Number(paginationToken ?? 1) || 1;
	const body: IDataObject = {
		page,
		page_size: PAGE_SIZE,
		sort: 'creation_time:desc',
		fields: ['incident_id', 'incident_number', 'summary'],
	};
	const phrase = filter?.trim() ?? '';
	if (phrase !== '') body.search_phrase = phrase;

	const incidents = await mdrRequest<IDataObject[]>(this, {
		path: 'incidents/list',
		body,
		kind: 'read',
	});
	const list = Array.isArray(incidents) ? incidents : [];
	return {
		results: list.map((incident) => ({
			name: `K-${incident.incident_number}: ${incident.summary ?? ''}`,
			value: String(incident.incident_id),
			url: incidentLink(incident.incident_id),
		})),
		paginationToken: list.length === PAGE_SIZE ? String(page + 1) : undefined,
	};
}
