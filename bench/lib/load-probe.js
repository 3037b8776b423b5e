'use strict';

// One fresh process of the load-time benchmark. argv[2]: "baseline" (n8n-workflow only) or
// "package" (n8n-workflow, then the built node, trigger and credential, each instantiated the way
// n8n's loader does). Prints the in-process times as one JSON line.

const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const t0 = process.hrtime.bigint();
require(require.resolve('n8n-workflow', { paths: [root] }));
const t1 = process.hrtime.bigint();
if (process.argv[2] === 'package') {
	const dist = path.join(root, 'dist');
	const { KasperskyMdr } = require(path.join(dist, 'nodes/KasperskyMdr/KasperskyMdr.node.js'));
	const { KasperskyMdrTrigger } = require(
		path.join(dist, 'nodes/KasperskyMdrTrigger/KasperskyMdrTrigger.node.js'),
	);
	const { KasperskyMdrApi } = require(
		path.join(dist, 'credentials/KasperskyMdrApi.credentials.js'),
	);
	new KasperskyMdr();
	new KasperskyMdrTrigger();
	new KasperskyMdrApi();
}
const t2 = process.hrtime.bigint();
process.stdout.write(
	`${JSON.stringify({ workflowMs: Number(t1 - t0) / 1e6, packageMs: Number(t2 - t1) / 1e6 })}\n`,
);
