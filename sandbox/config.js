'use strict';

// Behaviour switches. Most of them exist because the real MDR API's behaviour is not known for
// certain (marked [?] in the API notes): the sandbox can act out each plausible answer so the
// package can be tested against all of them. README.md lists what each switch models.

const DEFAULT_CONFIG = Object.freeze({
	// Error bodies and statuses
	errorFormat: 'json',
	unknownClientStatus: 404,
	expiredAccessStatus: 401,
	confirmRejectStatus: 401,

	// Token lifetimes
	accessTtlSeconds: 3600,
	refreshTtlSeconds: 7 * 86400,
	consoleRefreshTtlSeconds: 86400,

	// Identity of the API connection
	connectionName: 'n8n integration',
	visibleTenants: null,

	// Lists and paging
	defaultPageSize: 10,
	maxPageSize: 1000,
	pageSizeBehavior: 'error',
	resultWindow: 10000,
	windowBehavior: 'error',
	defaultIncidentSort: 'creation_time:desc',
	defaultAssetSort: 'first_seen:desc',
	historyPaging: 'per-entity',
	unknownFieldsBehavior: 'ignore',
	indexDelayMs: 0,

	// Responses and write answers
	pendingResponseStatus: 'Waiting',
	responseCommentRequired: true,
	allowResponseReupdate: false,
	bulkUpdateBehavior: 'atomic',
	uncertainAnswers: 'object',

	// Robustness
	brokenJsonPaths: [],
	retryAfterSeconds: 1,
	delayMs: 2000,
	maxUploadBytes: 64 * 1024 * 1024,
});

const ENUMS = {
	errorFormat: ['json', 'json-detail', 'text', 'html', 'empty'],
	unknownClientStatus: [401, 404],
	expiredAccessStatus: [401, 403],
	pageSizeBehavior: ['error', 'clamp'],
	windowBehavior: ['error', 'empty'],
	historyPaging: ['per-entity', 'global'],
	unknownFieldsBehavior: ['ignore', 'error'],
	bulkUpdateBehavior: ['atomic', 'per-id'],
	uncertainAnswers: ['object', 'empty-object', 'empty-body'],
};

class ConfigError extends Error {}

function checkValue(key, value) {
	const fallback = DEFAULT_CONFIG[key];
	if (ENUMS[key]) {
		if (!ENUMS[key].includes(value)) {
			throw new ConfigError(
				`${key} must be one of ${ENUMS[key].map((v) => JSON.stringify(v)).join(', ')}`,
			);
		}
		return;
	}
	if (key === 'confirmRejectStatus') {
		if (!Number.isInteger(value) || value < 400 || value > 599) {
			throw new ConfigError('confirmRejectStatus must be an HTTP error status (400-599)');
		}
		return;
	}
	if (key === 'visibleTenants') {
		if (value !== null && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) {
			throw new ConfigError('visibleTenants must be null or an array of tenant names');
		}
		return;
	}
	if (Array.isArray(fallback)) {
		if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
			throw new ConfigError(`${key} must be an array of strings`);
		}
		return;
	}
	if (typeof value !== typeof fallback) {
		throw new ConfigError(`${key} must be a ${typeof fallback}`);
	}
	if (typeof fallback === 'number' && !Number.isFinite(value)) {
		throw new ConfigError(`${key} must be a finite number`);
	}
}

/** Merges a partial config into the current one; throws ConfigError on unknown keys or bad values. */
function mergeConfig(current, partial) {
	if (partial === null || typeof partial !== 'object' || Array.isArray(partial)) {
		throw new ConfigError('config must be an object');
	}
	for (const [key, value] of Object.entries(partial)) {
		if (!(key in DEFAULT_CONFIG)) throw new ConfigError(`unknown config switch: ${key}`);
		checkValue(key, value);
	}
	return { ...current, ...structuredClone(partial) };
}

module.exports = { DEFAULT_CONFIG, mergeConfig, ConfigError };
