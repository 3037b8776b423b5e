'use strict';

/** Fixed for the suite: n8n encrypts credentials with it; it protects nothing but sandbox tokens. */
const ENCRYPTION_KEY = 'mdr-e2e-encryption-key-0123456789abcdef';

/** The n8n lines to run: E2E_N8N_LINES=1,2 (default both). */
function selectedLines() {
	const raw = process.env.E2E_N8N_LINES || '1,2';
	return raw
		.split(',')
		.map((s) => s.trim())
		.filter((s) => s === '1' || s === '2');
}

module.exports = { ENCRYPTION_KEY, selectedLines };
