'use strict';

/**
 * The plain n8n pattern for a rotating token, as most community credentials write it: the access
 * token is the expirable hidden field, and preAuthentication confirms (spends the refresh token)
 * every time n8n calls it, i.e. when the field is empty or after a 401. No single-flight.
 */
class PlainMdrApi {
	constructor() {
		this.name = 'plainMdrApi';
		this.displayName = 'Plain MDR API (benchmark baseline)';
		this.properties = [
			{ displayName: 'Client ID', name: 'clientId', type: 'string', default: '' },
			{
				displayName: 'Refresh Token',
				name: 'refreshToken',
				type: 'string',
				typeOptions: { password: true },
				default: '',
			},
			{ displayName: 'API URL', name: 'apiUrl', type: 'string', default: '' },
			{
				displayName: 'Access Token',
				name: 'accessToken',
				type: 'hidden',
				typeOptions: { expirable: true, password: true },
				default: '',
			},
		];
		this.authenticate = {
			type: 'generic',
			properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
		};
	}

	async preAuthentication(credentials) {
		const base = String(credentials.apiUrl).replace(/\/+$/, '');
		const answer = await this.helpers.httpRequest({
			method: 'POST',
			url: `${base}/${encodeURIComponent(credentials.clientId)}/session/confirm`,
			body: { refresh_token: credentials.refreshToken },
			json: true,
		});
		return { accessToken: answer.access_token, refreshToken: answer.refresh_token };
	}
}

module.exports = { PlainMdrApi };
