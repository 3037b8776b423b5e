'use strict';

/** Incident Get per item, in order, through httpRequestWithAuthentication and the plain credential. */
class PlainMdr {
	constructor() {
		this.description = {
			displayName: 'Plain MDR (benchmark baseline)',
			name: 'plainMdr',
			group: ['transform'],
			version: 1,
			description: 'Incident Get with the plain credential pattern',
			defaults: { name: 'Plain MDR' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: 'plainMdrApi', required: true }],
			properties: [{ displayName: 'Incident ID', name: 'incidentId', type: 'string', default: '' }],
		};
	}

	async execute() {
		const items = this.getInputData();
		const credentials = await this.getCredentials('plainMdrApi');
		const base = String(credentials.apiUrl).replace(/\/+$/, '');
		const url = `${base}/${encodeURIComponent(credentials.clientId)}/incidents/details`;
		const output = [];
		for (let i = 0; i < items.length; i++) {
			try {
				const incidentId = this.getNodeParameter('incidentId', i);
				const json = await this.helpers.httpRequestWithAuthentication.call(this, 'plainMdrApi', {
					method: 'POST',
					url,
					body: { incident_id: incidentId },
					json: true,
				});
				output.push({ json, pairedItem: { item: i } });
			} catch (error) {
				if (!this.continueOnFail()) throw error;
				output.push({ json: { error: error.message }, pairedItem: { item: i } });
			}
		}
		return [output];
	}
}

module.exports = { PlainMdr };
