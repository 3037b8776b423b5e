#!/usr/bin/env node
'use strict';

/**
 * `npm run bench`: measures this package against what users would use instead, side by side in
 * one run of a real n8n (2.41.1 by default) against the MDR sandbox, and writes bench/RESULTS.md.
 *
 * Arms are interleaved (ours, baseline, ours, baseline, ...) so that a busy machine slows both
 * alike and the ratios stay fair. See docs/bench.md for what each benchmark does.
 *
 * Environment: BENCH_N8N (n8n version, default 2.41.1), BENCH_REPS (default 8),
 * BENCH_ONLY (comma list of: refresh, export, item, big, poll, load), BENCH_KEEP=1 keeps the work
 * folder. Never prints a token.
 */

const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { request } = require('undici');

const rt = require('../e2e/support/runtime');
const { ENCRYPTION_KEY } = require('../e2e/support/settings');
const { median, summary, fmt, spread } = require('./lib/stats');
const { benchWorkflow } = require('./lib/workflow');

const ROOT = rt.ROOT;
const N8N_VERSION = process.env.BENCH_N8N || '2.41.1';
const REPS = Number(process.env.BENCH_REPS || 8);
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : undefined;
const wanted = (name) => !ONLY || ONLY.has(name);
// Diagnosis only: BENCH_PROFILE=<dir> runs n8n with --cpu-prof, BENCH_NODE_OPTIONS passes other
// options to n8n's Node, BENCH_ARMS=ours|http runs one arm, BENCH_DEBUG=1 logs the list requests.
const PROFILE_DIR = process.env.BENCH_PROFILE;
const armWanted = (name) =>
	!process.env.BENCH_ARMS || process.env.BENCH_ARMS.split(',').includes(name);
const PAGE_SIZE = 1000; // what the node asks for; the HTTP Request baseline uses the same
const BASELINE_PACKAGE = 'n8n-nodes-bench-plain-baseline';

const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'mdr-bench-'));
const log = (line) => process.stdout.write(`${rt.redact(line)}\n`);
const results = { started: new Date().toISOString(), loadBefore: os.loadavg() };

function fingerprint(token) {
	return crypto.createHash('sha256').update(token.trim()).digest('hex').slice(0, 32);
}

function jwtExpMs(token) {
	return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')).exp * 1000;
}

// ---------------------------------------------------------------------------------------------
// Setup

/**
 * A control call, tried twice: Node's fetch may reuse a keep-alive connection the sandbox has just
 * closed after an idle pause ("fetch failed"), which says nothing about the sandbox.
 */
async function control(sandbox, method, route, body) {
	try {
		return await sandbox.control(method, route, body);
	} catch (error) {
		if (!(error instanceof TypeError)) throw error;
		await rt.sleep(100);
		return await sandbox.control(method, route, body);
	}
}

function packBaseline(outDir) {
	const out = spawnSync('npm', ['pack', '--json', '--pack-destination', outDir], {
		cwd: path.join(__dirname, 'baseline-package'),
		encoding: 'utf8',
	});
	if (out.status !== 0) throw new Error(`npm pack of the baseline package failed: ${out.stderr}`);
	return path.join(outDir, JSON.parse(out.stdout)[0].filename);
}

function installBaseline(userFolder, tarball) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const dir = path.join(nodesDir, 'node_modules', BASELINE_PACKAGE);
	fs.mkdirSync(dir, { recursive: true });
	const untar = spawnSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1']);
	if (untar.status !== 0) throw new Error('unpacking the baseline package failed');
	const manifest = JSON.parse(fs.readFileSync(path.join(nodesDir, 'package.json'), 'utf8'));
	manifest.dependencies[BASELINE_PACKAGE] = '0.0.1';
	fs.writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify(manifest, null, 2));
}

/**
 * Calls a production webhook and waits for the workflow's answer. On a starved machine n8n's
 * database health check can briefly report "Database is not ready" (503) without running the
 * workflow; such calls are repeated, and only the attempt that ran is timed.
 */
async function webhook(baseUrl, pathName, body) {
	for (let attempt = 0; ; attempt++) {
		const started = process.hrtime.bigint();
		const res = await request(`${baseUrl}/webhook/${pathName}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body ?? {}),
			headersTimeout: 600_000,
			bodyTimeout: 600_000,
		});
		const text = await res.body.text();
		const ms = Number(process.hrtime.bigint() - started) / 1e6;
		if (res.statusCode === 503 && /Database is not ready/.test(text) && attempt < 30) {
			log(`  (n8n answered "Database is not ready"; calling ${pathName} again)`);
			await rt.sleep(1000);
			continue;
		}
		if (res.statusCode !== 200) {
			throw new Error(
				`webhook ${pathName} answered ${res.statusCode}: ${rt.redact(text).slice(0, 400)}`,
			);
		}
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { ms, json };
	}
}

/** CPU time (user + system) a process has used so far, in ms (clock ticks of 10 ms). */
function cpuOf(pid) {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return (Number(fields[11]) + Number(fields[12])) * 10;
	} catch {
		return NaN;
	}
}

/**
 * Runs `run` while sampling the RSS of the n8n process every 20 ms; also returns the CPU time n8n
 * and the sandbox used meanwhile (less sensitive to a busy machine than wall time).
 */
async function withRss(pid, run, sandboxPid) {
	const rss = () => {
		try {
			const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
			return m ? Number(m[1]) * 1024 : 0;
		} catch {
			return 0;
		}
	};
	const before = rss();
	const cpuBefore = cpuOf(pid);
	const sandboxBefore = sandboxPid ? cpuOf(sandboxPid) : NaN;
	let peak = before;
	const timer = setInterval(() => {
		peak = Math.max(peak, rss());
	}, 20);
	try {
		const value = await run();
		peak = Math.max(peak, rss());
		return {
			value,
			before,
			peak,
			cpu: cpuOf(pid) - cpuBefore,
			sandboxCpu: sandboxPid ? cpuOf(sandboxPid) - sandboxBefore : NaN,
		};
	} finally {
		clearInterval(timer);
	}
}

// ---------------------------------------------------------------------------------------------
// Benchmarks in n8n

async function benchRefresh(ctx) {
	const { sandbox, n8nRest, baseUrl, ids } = ctx;
	const items = ids.slice(0, 10).map((id) => ({ id }));
	const arms = {
		ours: { path: 'refresh-ours', confirms: [], rejected: [], failed: [], ms: [] },
		plain: { path: 'refresh-plain', confirms: [], rejected: [], failed: [], ms: [] },
	};
	for (let rep = 0; rep < REPS; rep++) {
		for (const name of ['ours', 'plain']) {
			const arm = arms[name];
			// A fresh chain whose access token expired a minute ago, stored as each pattern keeps it.
			const pair = await control(sandbox, 'POST', '/tokens/mint-pair', { accessTtlSeconds: -60 });
			const data =
				name === 'ours'
					? {
							clientId: sandbox.clientId,
							refreshToken: pair.refreshToken,
							apiUrl: sandbox.apiUrl,
							customCa: '',
							ignoreSslIssues: false,
							accessToken: pair.accessToken,
							accessTokenExpiresAt: String(jwtExpMs(pair.accessToken)),
							accessTokenIssuedFor: fingerprint(pair.refreshToken),
							sessionGate: '',
						}
					: {
							clientId: sandbox.clientId,
							refreshToken: pair.refreshToken,
							apiUrl: sandbox.apiUrl,
							accessToken: pair.accessToken,
						};
			const cred = ctx.credentials[name === 'ours' ? 'mdrRefresh' : 'plain'];
			await n8nRest.request('PATCH', `/credentials/${cred.id}`, {
				name: cred.name,
				type: cred.type,
				data,
			});
			await control(sandbox, 'POST', '/counters/reset', {});
			const started = Date.now();
			const answers = await Promise.all(
				Array.from({ length: 20 }, () => webhook(baseUrl, arm.path, { items })),
			);
			arm.ms.push(Date.now() - started);
			const counters = await control(sandbox, 'GET', '/counters');
			arm.confirms.push(counters.confirm.ok);
			arm.rejected.push(counters.confirm.rejected);
			const outputs = answers.flatMap((a) => (Array.isArray(a.json) ? a.json : [a.json]));
			const failed = outputs.filter((o) => !o || o.error !== undefined || !o.incident_id).length;
			arm.failed.push(failed + (200 - outputs.length));
			log(
				`  refresh ${name} rep ${rep + 1}: confirms ${counters.confirm.ok} ok / ${counters.confirm.rejected} rejected, failed items ${arm.failed.at(-1)}`,
			);
		}
	}
	results.refresh = arms;
}

async function benchExport(ctx) {
	const { baseUrl, pid } = ctx;
	const arms = {
		ours: { ms: [], rss: [], counts: [], requests: [], cpu: [], sandboxCpu: [] },
		http: { ms: [], rss: [], counts: [], requests: [], cpu: [], sandboxCpu: [] },
	};
	const names = ['ours', 'http'].filter(armWanted);
	for (const name of names) await webhook(baseUrl, `export-${name}`); // warm-up
	for (let rep = 0; rep < REPS; rep++) {
		for (const name of names) {
			await control(ctx.sandbox, 'POST', '/counters/reset', {});
			const { value, before, peak, cpu, sandboxCpu } = await withRss(
				pid,
				() => webhook(baseUrl, `export-${name}`),
				ctx.sandbox.child.pid,
			);
			const arm = arms[name];
			arm.cpu.push(cpu);
			arm.sandboxCpu.push(sandboxCpu);
			const counters = await control(ctx.sandbox, 'GET', '/counters');
			arm.requests.push(counters.endpoints['incidents/list'] ?? {});
			if (process.env.BENCH_DEBUG) {
				const logged = await control(ctx.sandbox, 'GET', '/requests?path=incidents/list&limit=20');
				log(
					JSON.stringify(
						logged.map((q) => ({
							seq: q.seq,
							status: q.status,
							page: q.body?.page,
							size: q.body?.page_size,
							at: q.time,
							max: q.body?.max_creation_time,
							ms: q.durationMs ?? q.ms,
						})),
					),
				);
			}
			arm.ms.push(value.ms);
			arm.rss.push(peak - before);
			arm.counts.push({
				count: value.json?.count_incident_id,
				unique: value.json?.unique_count_incident_id,
			});
			log(
				`  export 10k ${name} rep ${rep + 1}: ${fmt(value.ms)} ms (n8n CPU ${cpu} ms, sandbox CPU ${sandboxCpu} ms), ${JSON.stringify(arm.counts.at(-1))}`,
			);
		}
	}
	results.export = arms;
}

async function benchItems(ctx) {
	const { baseUrl, ids } = ctx;
	const items = ids.slice(0, 1000).map((id) => ({ id }));
	const arms = {
		ours: { ms: [], counts: [], cpu: [], sandboxCpu: [] },
		http: { ms: [], counts: [], cpu: [], sandboxCpu: [] },
	};
	const names = ['ours', 'http'].filter(armWanted);
	for (const name of names) await webhook(baseUrl, `item-${name}`, { items }); // warm-up
	for (let rep = 0; rep < REPS; rep++) {
		for (const name of names) {
			const { value, cpu, sandboxCpu } = await withRss(
				ctx.pid,
				() => webhook(baseUrl, `item-${name}`, { items }),
				ctx.sandbox.child.pid,
			);
			const { ms, json } = value;
			arms[name].ms.push(ms);
			arms[name].cpu.push(cpu);
			arms[name].sandboxCpu.push(sandboxCpu);
			arms[name].counts.push({
				count: json?.count_incident_id,
				unique: json?.unique_count_incident_id,
			});
			log(
				`  per-item ${name} rep ${rep + 1}: ${fmt(ms)} ms (n8n CPU ${cpu} ms, sandbox CPU ${sandboxCpu} ms), ${JSON.stringify(arms[name].counts.at(-1))}`,
			);
		}
	}
	results.items = arms;
}

async function benchBig(ctx) {
	const { sandbox, baseUrl, pid } = ctx;
	await control(sandbox, 'POST', '/reset', { incidents: 25000, seed: 7 });
	const all = await control(sandbox, 'GET', '/incidents');
	const list = Array.isArray(all) ? all : (all.incidents ?? []);
	const bytes = Buffer.byteLength(JSON.stringify(list));
	const reps = Math.max(2, Math.ceil(REPS / 2));
	const arm = {
		ms: [],
		rss: [],
		rssBefore: [],
		counts: [],
		requests: [],
		cpu: [],
		bytes,
		total: list.length,
	};
	for (let rep = 0; rep < reps; rep++) {
		await control(sandbox, 'POST', '/counters/reset', {});
		const { value, before, peak, cpu } = await withRss(pid, () => webhook(baseUrl, 'export-ours'));
		arm.cpu.push(cpu);
		const counters = await control(sandbox, 'GET', '/counters');
		arm.ms.push(value.ms);
		arm.rss.push(peak);
		arm.rssBefore.push(before);
		arm.requests.push(counters.endpoints['incidents/list']?.received ?? NaN);
		arm.counts.push({
			count: value.json?.count_incident_id,
			unique: value.json?.unique_count_incident_id,
		});
		log(
			`  export 25k rep ${rep + 1}: ${fmt(value.ms)} ms, ${JSON.stringify(arm.counts.at(-1))}, peak RSS ${fmt(peak / 2 ** 20)} MiB`,
		);
	}
	results.big = arm;
}

async function inN8n() {
	const installDir = rt.installedN8n(N8N_VERSION) ?? rt.installN8n(N8N_VERSION);
	log(`Building and packing (work folder ${WORK})`);
	const tarball = rt.buildAndPack(path.join(WORK, 'pack'));
	const baselineTarball = packBaseline(path.join(WORK, 'pack'));
	const userFolder = path.join(WORK, 'n8n');
	rt.prepareUserFolder(userFolder, tarball);
	installBaseline(userFolder, baselineTarball);

	const sandbox = await rt.SandboxProcess.start({
		args: ['--incidents', '10000', '--seed', '7'],
		logFile: path.join(WORK, 'sandbox.log'),
	});
	const n8n = new rt.N8n({
		installDir,
		userFolder,
		encryptionKey: ENCRYPTION_KEY,
		logDir: path.join(WORK, 'logs'),
		env: {
			// Both arms alike: execution data is not saved, so the measurement is the run itself.
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'none',
			EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'false',
			N8N_LOG_LEVEL: 'warn',
			...(PROFILE_DIR ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${PROFILE_DIR}` } : {}),
			...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
		},
	});
	try {
		const { refreshToken } = await control(sandbox, 'POST', '/tokens/mint', {});
		const bearer = await control(sandbox, 'POST', '/tokens/mint-pair', {});
		const credentials = {
			mdr: { id: 'benchMdrCred0001', name: 'MDR', type: 'kasperskyMdrApi' },
			mdrRefresh: { id: 'benchMdrCred0002', name: 'MDR refresh', type: 'kasperskyMdrApi' },
			plain: { id: 'benchPlainCred01', name: 'Plain', type: 'plainMdrApi' },
			bearer: { id: 'benchBearerCred1', name: 'Bearer', type: 'httpBearerAuth' },
		};
		const mdrData = (token) => ({
			clientId: sandbox.clientId,
			refreshToken: token,
			apiUrl: sandbox.apiUrl,
			customCa: '',
			ignoreSslIssues: false,
		});
		const spare = await control(sandbox, 'POST', '/tokens/mint', {});
		await n8n.migrate();
		await n8n.importCredentials([
			{ ...credentials.mdr, data: mdrData(refreshToken) },
			{ ...credentials.mdrRefresh, data: mdrData(spare.refreshToken) },
			{
				...credentials.plain,
				data: {
					clientId: sandbox.clientId,
					refreshToken: spare.refreshToken,
					apiUrl: sandbox.apiUrl,
					accessToken: '',
				},
			},
			{ ...credentials.bearer, data: { token: bearer.accessToken } },
		]);
		const workflowId = 'benchWorkflow0001';
		await n8n.importWorkflows([
			benchWorkflow(
				workflowId,
				{
					mdr: credentials.mdr.id,
					mdrRefresh: credentials.mdrRefresh.id,
					plain: credentials.plain.id,
					bearer: credentials.bearer.id,
				},
				sandbox,
				PAGE_SIZE,
			),
		]);
		await n8n.activateWorkflow(workflowId);
		log(`Starting n8n ${N8N_VERSION}`);
		const baseUrl = await n8n.start();
		const n8nRest = new rt.N8nRest(baseUrl);
		const owner = { email: 'bench@example.com', password: 'Bench-password-1' };
		await n8nRest.setupOwner(owner);
		await n8nRest.login(owner);
		const listed = await control(sandbox, 'GET', '/incidents?fields=incident_id');
		const ids = (Array.isArray(listed) ? listed : listed.incidents).map((i) => i.incident_id);
		const ctx = {
			sandbox,
			n8nRest,
			baseUrl,
			ids,
			credentials,
			installDir,
			pid: n8n.server.child.pid,
		};
		results.n8n = {
			version: N8N_VERSION,
			node: spawnSync(path.join(installDir, 'bin', 'n8n'), ['--version'], {
				encoding: 'utf8',
			}).stdout.trim(),
		};
		results.n8nNode = spawnSync('bash', ['-c', `. "${installDir}/env.sh" && node --version`], {
			encoding: 'utf8',
		}).stdout.trim();

		if (wanted('refresh')) {
			log('Refresh economy: 20 concurrent executions x 10 items, expired access token');
			await benchRefresh(ctx);
		}
		if (wanted('export')) {
			log('Bulk export: Get Many (Return All) over 10,000 incidents vs HTTP Request pagination');
			await benchExport(ctx);
		}
		if (wanted('item')) {
			log('Per-item overhead: 1,000 items x Incident Get vs HTTP Request');
			await benchItems(ctx);
		}
		if (wanted('big')) {
			log(
				'Bulk export past the window: 25,000 incidents (fresh n8n process, for a clean memory figure)',
			);
			await n8n.stop();
			ctx.baseUrl = await n8n.start();
			ctx.pid = n8n.server.child.pid;
			await benchBig(ctx);
		}
	} finally {
		await n8n.stop();
		await sandbox.stop();
	}
}

// ---------------------------------------------------------------------------------------------
// In-process benchmarks

async function benchIdlePoll() {
	const sandbox = await rt.SandboxProcess.start({
		args: ['--incidents', '200', '--seed', '3'],
		logFile: path.join(WORK, 'sandbox-poll.log'),
	});
	try {
		const runs = [];
		for (let proc = 0; proc < 3; proc++) {
			const { refreshToken } = await control(sandbox, 'POST', '/tokens/mint', {});
			const out = spawnSync(process.execPath, [path.join(__dirname, 'lib', 'idle-poll.js')], {
				env: {
					...process.env,
					BENCH_API_URL: sandbox.apiUrl,
					BENCH_CLIENT_ID: sandbox.clientId,
					BENCH_CONTROL_URL: sandbox.controlUrl.replace(/\/+$/, ''),
					BENCH_REFRESH_TOKEN: refreshToken,
					BENCH_POLLS: '40',
				},
				encoding: 'utf8',
			});
			if (out.status !== 0) throw new Error(rt.redact(out.stderr));
			runs.push(...JSON.parse(out.stdout.trim().split('\n').pop()).runs);
		}
		results.poll = runs;
		log(
			`  idle poll: requests ${spread(runs.map((r) => r.requests))}, package CPU ${spread(
				runs.map((r) => r.packageCpu),
				2,
				' ms',
			)}`,
		);
	} finally {
		await sandbox.stop();
	}
}

function benchLoad() {
	const probe = path.join(__dirname, 'lib', 'load-probe.js');
	const arms = { baseline: { wall: [], inside: [] }, package: { wall: [], inside: [] } };
	const runs = 30;
	for (let i = 0; i < runs + 2; i++) {
		for (const arm of ['baseline', 'package']) {
			const started = process.hrtime.bigint();
			const out = spawnSync(process.execPath, [probe, arm], { encoding: 'utf8' });
			const wall = Number(process.hrtime.bigint() - started) / 1e6;
			if (out.status !== 0) throw new Error(out.stderr);
			if (i < 2) continue; // disk cache warm-up
			const { packageMs } = JSON.parse(out.stdout);
			arms[arm].wall.push(wall);
			arms[arm].inside.push(packageMs);
		}
	}
	results.load = arms;
	log(
		`  load: package require ${spread(arms.package.inside, 1, ' ms')}; wall ${fmt(median(arms.package.wall))} vs ${fmt(median(arms.baseline.wall))} ms`,
	);
}

// ---------------------------------------------------------------------------------------------
// Report

function machine() {
	const cpus = os.cpus();
	const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
	return {
		cores: cpus.length,
		model: cpus[0]?.model ?? 'unknown',
		memoryGiB: os.totalmem() / 2 ** 30,
		node: process.version,
		packageVersion: version,
	};
}

const ok = (met) => (met ? 'met' : '**missed**');
const ratio = (a, b) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : 'n/a');
const pairRatios = (a, b) => a.map((v, i) => v / b[i]);

function report() {
	const m = machine();
	const lines = [];
	lines.push('# Benchmark results', '');
	lines.push(
		`Written by \`npm run bench\` (bench/run.js) on ${results.started}. Medians with min–max over the repetitions; every ratio is ours ÷ baseline, both measured in this run, interleaved (A/B/A/B…).`,
		'',
	);
	lines.push('## Machine and versions', '');
	lines.push(`- CPU: ${m.cores} cores, ${m.model}; memory ${fmt(m.memoryGiB, 1)} GiB`);
	lines.push(
		`- Load average (1/5/15 min) at start: ${results.loadBefore.map((v) => v.toFixed(2)).join(' / ')}; at end: ${results.loadAfter.map((v) => v.toFixed(2)).join(' / ')} (the machine is shared: absolute times vary, ratios are what counts)`,
	);
	lines.push(
		`- Node ${m.node} (bench, in-process benchmarks); n8n ${results.n8n?.version ?? 'not run'} on Node ${results.n8nNode ?? '?'}`,
	);
	lines.push(
		`- ${rt.PACKAGE_NAME} ${m.packageVersion} (built and packed by this run, installed into n8n's community nodes folder)`,
	);
	lines.push(
		`- Repetitions: ${REPS} per arm (25,000-incident export: ${Math.max(2, Math.ceil(REPS / 2))})`,
		'',
	);

	lines.push('## Summary', '');
	lines.push(
		'| Benchmark | Ours | Baseline | Ratio | Target | Result |',
		'|---|---|---|---|---|---|',
	);
	const r = results;
	if (r.refresh) {
		const o = r.refresh.ours;
		const p = r.refresh.plain;
		const met = o.confirms.every((c) => c === 1) && o.failed.every((f) => f === 0);
		lines.push(
			`| Refresh economy: confirms (20 executions × 10 items, expired token) | ${spread(o.confirms)} | ${spread(p.confirms)} (+ ${spread(p.rejected)} rejected) | – | exactly 1 | ${ok(met)} |`,
		);
		lines.push(
			`| Refresh economy: failed items (of 200) | ${spread(o.failed)} | ${spread(p.failed)} | – | 0 | ${ok(met)} |`,
		);
	}
	if (r.export) {
		const o = r.export.ours.ms;
		const h = r.export.http.ms;
		const rr = median(o) / median(h);
		lines.push(
			`| Bulk export, 10,000 incidents, wall ms | ${spread(o)} | ${spread(h)} | ${ratio(median(o), median(h))} (pairs ${spread(pairRatios(o, h), 2)}) | ≤ 1.10× | ${ok(rr <= 1.1)} |`,
		);
		lines.push(
			`| Bulk export, 10,000 incidents, n8n CPU ms | ${spread(r.export.ours.cpu)} | ${spread(r.export.http.cpu)} | ${ratio(median(r.export.ours.cpu), median(r.export.http.cpu))} | (diagnostic) | – |`,
		);
	}
	if (r.items) {
		const o = r.items.ours.ms;
		const h = r.items.http.ms;
		const rr = median(o) / median(h);
		lines.push(
			`| Per-item, 1,000 × Incident Get, wall ms | ${spread(o)} | ${spread(h)} | ${ratio(median(o), median(h))} (pairs ${spread(pairRatios(o, h), 2)}) | ≤ 1.10× | ${ok(rr <= 1.1)} |`,
		);
		lines.push(
			`| Per-item, 1,000 × Incident Get, n8n CPU ms | ${spread(r.items.ours.cpu)} | ${spread(r.items.http.cpu)} | ${ratio(median(r.items.ours.cpu), median(r.items.http.cpu))} | (diagnostic) | – |`,
		);
	}
	if (r.big) {
		const b = r.big;
		const complete = b.counts.every((c) => c.count === b.total && c.unique === b.total);
		lines.push(
			`| Export past the window, 25,000 incidents, wall ms | ${spread(b.ms)} | – (HTTP Request cannot page past 10,000) | – | complete, no duplicates | ${ok(complete)} |`,
		);
		lines.push(
			`| Peak RSS of n8n, first 25,000 export after a restart | ${fmt(b.rss[0] / 2 ** 20)} MiB (${fmt(b.rssBefore[0] / 2 ** 20)} MiB before; later runs ${spread(b.rss.slice(1).map((v) => v / 2 ** 20))} MiB) | – | growth ${fmt((b.rss[0] - b.rssBefore[0]) / b.bytes, 1)}× the data (${fmt(b.bytes / 2 ** 20, 1)} MiB of JSON) | reported | – |`,
		);
	}
	if (r.poll) {
		const req = r.poll.map((x) => x.requests);
		const cpu = r.poll.map((x) => x.packageCpu);
		lines.push(
			`| Idle poll: requests per poll | ${spread(req)} | – | – | 1 | ${ok(req.every((n) => n === 1))} |`,
		);
		lines.push(
			`| Idle poll: CPU in the package, ms | ${spread(cpu, 2)} | – | – | ≤ 5 ms median | ${ok(median(cpu) <= 5)} |`,
		);
	}
	if (r.load) {
		const added = median(r.load.package.wall) - median(r.load.baseline.wall);
		lines.push(
			`| Load time: requiring + instantiating node, trigger, credential in a fresh process (n8n-workflow already loaded), ms | ${spread(r.load.package.inside, 1)} | – | – | ≤ 30 ms median | ${ok(median(r.load.package.inside) <= 30)} |`,
		);
		lines.push(
			`| Load time cross-check: whole-process wall, spawn to exit, ms | ${fmt(median(r.load.package.wall), 1)} | ${fmt(median(r.load.baseline.wall), 1)} | +${fmt(added, 1)} ms | (noisy on a busy machine) | ${added <= 30 ? 'within 30 ms' : 'over 30 ms'} |`,
		);
	}
	lines.push('');

	lines.push('## Details', '');
	if (r.refresh) {
		lines.push('### Refresh economy', '');
		lines.push(
			'One `n8n start` process; the Webhook chain (respond when the last node finishes) is called 20 times at once, each with 10 incident ids (Split Out → Incident Get, "continue on error"). Before each repetition both credentials get a fresh refresh token and an access token whose `exp` passed a minute ago (through the REST API, as the editor saves it). Baseline: `bench/baseline-package`, the plain pattern (expirable access-token field, preAuthentication that always confirms, no single-flight).',
			'',
		);
		lines.push(
			'| Arm | confirms ok per rep | confirms rejected | failed items (of 200) | wall ms for the 20 executions |',
			'|---|---|---|---|---|',
		);
		for (const [name, a] of Object.entries(r.refresh)) {
			lines.push(
				`| ${name === 'ours' ? 'Kaspersky MDR node' : 'Plain pattern'} | ${a.confirms.join(', ')} | ${a.rejected.join(', ')} | ${a.failed.join(', ')} | ${spread(a.ms)} |`,
			);
		}
		lines.push('');
	}
	if (r.export) {
		lines.push('### Bulk export (10,000 incidents)', '');
		lines.push(
			`Webhook → node → Summarize (count and distinct count of incident_id) → respond with that one item. Ours: Incident Get Many, Return All, sort creation_time:desc, Simplify off. Baseline: HTTP Request node 4.2, POST incidents/list, page_size ${PAGE_SIZE}, built-in pagination (body \`page\` = \`$pageCount + 1\`, stop when a page has fewer than ${PAGE_SIZE}, at most 10 pages: MDR refuses pages past 10,000), Bearer credential with a valid minted token. Both return the full incidents. Wall time at the webhook caller, warm-up run discarded.`,
			'',
		);
		lines.push(
			'| Arm | wall ms per rep | n8n CPU ms | sandbox CPU ms | incidents/list requests (refused) | items (count / distinct) | peak RSS growth MiB |',
			'|---|---|---|---|---|---|---|',
		);
		for (const [name, a] of Object.entries(r.export)) {
			const reqs = a.requests.map((q) => `${q.received ?? '?'} (${q.rejected ?? 0})`);
			lines.push(
				`| ${name === 'ours' ? 'Get Many' : 'HTTP Request'} | ${a.ms.map((v) => fmt(v)).join(', ')} | ${spread(a.cpu)} | ${spread(a.sandboxCpu)} | ${[...new Set(reqs)].join(', ')} | ${[...new Set(a.counts.map((c) => `${c.count}/${c.unique}`))].join(', ')} | ${spread(a.rss.map((v) => v / 2 ** 20))} |`,
			);
		}
		lines.push(
			'',
			'n8n CPU: user + system time of the n8n process during the run (/proc/<pid>/stat, 10 ms ticks); less sensitive than wall time to other load on the machine.',
		);
		lines.push('');
	}
	if (r.items) {
		lines.push('### Per-item overhead (1,000 × Incident Get)', '');
		lines.push(
			'Webhook with 1,000 ids → Split Out → node → Summarize. Ours: Incident Get (Simplify off), items in order one at a time. Baseline: HTTP Request node 4.2, POST incidents/details with `incident_id` = `{{ $json.id }}`, default options (n8n sends all 1,000 requests at once).',
			'',
		);
		lines.push(
			'| Arm | wall ms per rep | n8n CPU ms | sandbox CPU ms | items (count / distinct) |',
			'|---|---|---|---|---|',
		);
		for (const [name, a] of Object.entries(r.items)) {
			lines.push(
				`| ${name === 'ours' ? 'Incident Get' : 'HTTP Request'} | ${a.ms.map((v) => fmt(v)).join(', ')} | ${spread(a.cpu)} | ${spread(a.sandboxCpu)} | ${[...new Set(a.counts.map((c) => `${c.count}/${c.unique}`))].join(', ')} |`,
			);
		}
		lines.push('');
	}
	if (r.big) {
		const b = r.big;
		lines.push('### Export past the window (25,000 incidents)', '');
		lines.push(
			`Same Get Many chain in a freshly restarted n8n process (so that the first run's memory is not inflated by the heap earlier benchmarks left), sandbox reset to 25,000 incidents (${fmt(b.bytes / 2 ** 20, 1)} MiB as JSON, measured with JSON.stringify of the sandbox's incident list). Peak RSS: the n8n main process, sampled every 20 ms (/proc/<pid>/status VmRSS), RSS before the run ${spread(
				b.rssBefore.map((v) => v / 2 ** 20),
				0,
				' MiB',
			)}.`,
			'',
		);
		lines.push(
			'| rep | wall ms | n8n CPU ms | items (count / distinct) | incidents/list requests | peak RSS MiB |',
			'|---|---|---|---|---|---|',
		);
		b.ms.forEach((ms, i) =>
			lines.push(
				`| ${i + 1} | ${fmt(ms)} | ${b.cpu[i]} | ${b.counts[i].count}/${b.counts[i].unique} | ${b.requests[i]} | ${fmt(b.rss[i] / 2 ** 20)} |`,
			),
		);
		lines.push('');
	}
	if (r.poll) {
		const p = r.poll;
		lines.push('### Idle poll', '');
		lines.push(
			`The built trigger (dist/) in n8n-core's PollContext (bench/lib/idle-poll.js, the rules of test/harness/n8n.ts), in 3 fresh processes × 40 polls after a cursor-setting poll and 3 warm-up polls; the sandbox runs as another process. Requests: the sandbox's received counter around each poll. Package CPU = process.cpuUsage() across poll() − CPU inside helpers.httpRequestWithAuthentication + CPU inside the credential's preAuthentication/authenticate (package code n8n calls from inside that helper).`,
			'',
		);
		lines.push(
			`- requests per poll ${spread(p.map((x) => x.requests))}; items ${spread(p.map((x) => x.items))}`,
		);
		lines.push(
			`- package CPU ${spread(
				p.map((x) => x.packageCpu),
				2,
				' ms',
			)}; of it in preAuthentication/authenticate ${spread(
				p.map((x) => x.hookCpu),
				2,
				' ms',
			)}`,
		);
		lines.push(
			`- n8n request helper CPU ${spread(
				p.map((x) => x.helperCpu),
				2,
				' ms',
			)}; whole poll CPU ${spread(
				p.map((x) => x.totalCpu),
				2,
				' ms',
			)}; wall ${spread(
				p.map((x) => x.wallMs),
				1,
				' ms',
			)}`,
			'',
		);
	}
	if (r.load) {
		lines.push('### Load time', '');
		lines.push(
			'30 fresh `node` processes per arm, interleaved, after 2 discarded rounds. Both arms require n8n-workflow first; the package arm then requires and instantiates the built node, trigger and credential. "Wall" is spawn to exit; "in-process" is hrtime around the package requires.',
			'',
		);
		lines.push(
			`- wall: baseline ${spread(r.load.baseline.wall, 1, ' ms')}, package ${spread(r.load.package.wall, 1, ' ms')}`,
		);
		lines.push(`- in-process: ${spread(r.load.package.inside, 1, ' ms')}`, '');
	}
	return lines.join('\n');
}

function writeResults(text) {
	const file = path.join(__dirname, 'RESULTS.md');
	const marker = '<!-- history: kept across runs -->';
	let history = `${marker}\n## History\n\nBefore/after measurements of changes (kept by bench/run.js; add entries by hand).\n`;
	if (fs.existsSync(file)) {
		const old = fs.readFileSync(file, 'utf8');
		const at = old.indexOf(marker);
		if (at >= 0) history = old.slice(at);
	}
	fs.writeFileSync(file, `${rt.redact(text)}\n${history}`);
	return file;
}

async function main() {
	log(
		`Load average at start: ${os
			.loadavg()
			.map((v) => v.toFixed(2))
			.join(' ')} on ${os.cpus().length} cores`,
	);
	if (os.loadavg()[0] > os.cpus().length)
		log('  (the machine is busy: absolute times will be slow; ratios stay fair)');
	if (['refresh', 'export', 'item', 'big'].some(wanted)) await inN8n();
	else rt.buildAndPack(path.join(WORK, 'pack'));
	if (wanted('poll')) {
		log('Idle poll');
		await benchIdlePoll();
	}
	if (wanted('load')) {
		log('Load time');
		benchLoad();
	}
	results.loadAfter = os.loadavg();
	const file = writeResults(report());
	log(`Wrote ${path.relative(ROOT, file)}`);
}

main()
	.catch((error) => {
		process.stderr.write(`bench failed: ${rt.redact(error.stack || error.message)}\n`);
		process.exitCode = 1;
	})
	.finally(async () => {
		await rt.stopAll();
		if (!process.env.BENCH_KEEP) fs.rmSync(WORK, { recursive: true, force: true });
		else log(`Work folder kept: ${WORK}`);
	});
