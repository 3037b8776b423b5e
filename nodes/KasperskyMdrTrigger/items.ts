import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { toIso } from '../KasperskyMdr/helpers/dates';
import { simplifyIncident } from '../KasperskyMdr/helpers/simplify';
import type { DetectedEvent } from './events';

/** One output item per event: what happened, when, the incident, and the changed child object. */
export function toItems(events: DetectedEvent[], simplify: boolean): INodeExecutionData[] {
	return events.map((event) => {
		const json: IDataObject = {
			eventId: event.eventId,
			event: event.event,
			eventTime: toIso(event.time) ?? null,
			incidentId: event.incident.incident_id,
			incident: simplify ? simplifyIncident(event.incident) : event.incident,
		};
		if (event.comment) json.comment = event.comment;
		if (event.attachment) json.attachment = event.attachment;
		if (event.response) json.response = event.response;
		if (event.previousStatus !== undefined) json.previousStatus = event.previousStatus;
		return { json };
	});
}
