const { mkdtempSync } = require('fs');
const { tmpdir } = require('os');
const { join } = require('path');

/** One folder per test run, shared by all jest workers through the environment. */
module.exports = async () => {
	process.env.MDR_HYGIENE_DIR = mkdtempSync(join(tmpdir(), 'mdr-hygiene-'));
};
