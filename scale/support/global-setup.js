'use strict';
/**
 * Runs once before the scale suite. The package build, the n8n installs and the migrated template
 * user folders are exactly those of the end-to-end suite, so its global setup is reused as is;
 * SCALE_N8N_LINES chooses the n8n lines: both by default (1,2); 2 or 1 runs one (see docs/scale.md).
 */

const e2eSetup = require('../../e2e/support/global-setup');

module.exports = async function globalSetup() {
	process.env.E2E_N8N_LINES = process.env.SCALE_N8N_LINES || '1,2';
	await e2eSetup();
};
