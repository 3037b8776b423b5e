'use strict';

const { ApiError } = require('../errors');
const { checkBody } = require('../validate');
const { json } = require('./answers');

const REASONS = {
	expired: 'The refresh token has expired',
	spent: 'The refresh token has already been used',
	revoked: 'The refresh token has been revoked',
	unknown: 'The refresh token is not known',
	malformed: 'The refresh token is malformed',
	'wrong-client': 'The refresh token was issued for another client',
	'not-a-refresh-token': 'The token is not a refresh token',
};

/** session/confirm: spends the refresh token, answers the next access and refresh tokens. */
async function confirm({ body, config, tokens, counters, rejectUnknown }) {
	try {
		checkBody(body, { refresh_token: 'string!' }, { rejectUnknown });
	} catch (error) {
		counters.confirmRejected();
		throw error;
	}
	const result = await tokens.confirm(body.refresh_token);
	if (!result.ok) {
		counters.confirmRejected();
		throw new ApiError(
			config.confirmRejectStatus,
			'invalid_refresh_token',
			REASONS[result.reason] || 'The refresh token is not valid',
		);
	}
	counters.confirmOk();
	return json({ access_token: result.access_token, refresh_token: result.refresh_token });
}

module.exports = { 'session/confirm': { handler: confirm, auth: false } };
