import type { INodeProperties } from 'n8n-workflow';

/** The incident picker: from a searchable list, by ID, or by the incident's web link. */
export const incidentLocator: INodeProperties = {
	displayName: 'Incident',
	name: 'incidentId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The MDR incident to work on',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select an incident…',
			typeOptions: {
				searchListMethod: 'searchIncidents',
				searchable: true,
				searchFilterRequired: false,
			},
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 5wQ2kJx8RZmN3pLd7Yt1',
			hint: 'The incident_id of an incident (not its K- number)',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^\\s*[A-Za-z0-9_.:-]+\\s*$',
						errorMessage: 'An incident ID has only letters, digits and _ . : -',
					},
				},
			],
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'https://mdr.kaspersky.com/incidents/5wQ2kJx8RZmN3pLd7Yt1',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^https://mdr\\.kaspersky\\.com/incidents/[A-Za-z0-9_.:-]+/?(?:[?#].*)?$',
						errorMessage: 'Paste a link such as https://mdr.kaspersky.com/incidents/<id>',
					},
				},
			],
			extractValue: {
				type: 'regex',
				regex: '^https://mdr\\.kaspersky\\.com/incidents/([A-Za-z0-9_.:-]+)',
			},
		},
	],
};
