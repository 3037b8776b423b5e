/**
 * n8n in queue mode on loopback: a throwaway Redis, one main (`n8n start`) and several workers
 * (`n8n worker`) sharing one user folder (the community package in .n8n/nodes), one PostgreSQL
 * database (e2e/support/postgres.ts) and one encryption key. Every process runs in its own process group through the
 * end-to-end runtime, so the global teardown stops whatever a failed test left behind.
 */
import type { ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import * as rt from '../../e2e/support/runtime';

type Logged = ChildProcess & { exited: Promise<{ code: number | null; signal: string | null }> };

export class Redis {
	private constructor(
		readonly port: number,
		private readonly child: Logged,
	) {}

	/** `redis-server` on a free loopback port, nothing persisted. */
	static async start(dir: string): Promise<Redis> {
		fs.mkdirSync(dir, { recursive: true });
		const port = await rt.freePort();
		const logFile = path.join(dir, 'redis.log');
		const child = rt.spawnLogged(
			'redis-server',
			['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', dir],
			{ env: process.env, logFile },
		) as Logged;
		await rt.waitFor(
			() => {
				if (child.exitCode !== null) throw new Error('redis-server exited');
				return /Ready to accept connections/.test(fs.readFileSync(logFile, 'utf8'));
			},
			{ timeoutMs: 20_000, intervalMs: 100, describe: () => rt.tail(fs.readFileSync(logFile, 'utf8')) },
		);
		return new Redis(port, child);
	}

	async stop(): Promise<void> {
		await rt.stopProcess(this.child, 5_000);
	}
}


export interface Worker {
	index: number;
	child: Logged;
	logFile: string;
	pid: number;
}

export class QueueCluster {
	workers: Worker[] = [];
	private workerCount = 0;
	readonly queueEnv: Record<string, string>;

	constructor(
		readonly n8n: rt.N8n,
		redis: Redis,
		extraEnv: Record<string, string> = {},
	) {
		this.queueEnv = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			// A dead worker's job is declared stalled after this long (n8n's default is 30 s).
			QUEUE_WORKER_STALLED_INTERVAL: '10000',
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
			EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
			...extraEnv,
		};
	}

	get baseUrl(): string {
		if (!this.n8n.server) throw new Error('n8n main is not running');
		return this.n8n.server.baseUrl;
	}

	async startMain(): Promise<string> {
		return await this.n8n.start({ env: this.queueEnv });
	}

	/** Starts one more worker and waits until it takes jobs. */
	async startWorker(): Promise<Worker> {
		this.workerCount += 1;
		const index = this.workerCount;
		const logFile = path.join(this.n8n.logDir, `worker-${index}.log`);
		const env = this.n8n.env({
			...this.queueEnv,
			N8N_RUNNERS_BROKER_PORT: String(await rt.freePort()),
			QUEUE_HEALTH_CHECK_PORT: String(await rt.freePort()),
		});
		const child = rt.spawnLogged(path.join(this.n8n.installDir, 'bin', 'n8n'), ['worker', '--concurrency=10'], {
			env,
			logFile,
		}) as Logged;
		await rt.waitFor(
			() => {
				if (child.exitCode !== null) throw new Error('worker exited');
				return /n8n worker is now ready/.test(fs.readFileSync(logFile, 'utf8'));
			},
			{
				timeoutMs: 180_000,
				intervalMs: 500,
				describe: () => `worker ${index} did not start; log ${logFile}:\n${rt.tail(fs.readFileSync(logFile, 'utf8'))}`,
			},
		);
		// bin/n8n execs node, so the spawned pid is the worker process itself.
		const worker = { index, child, logFile, pid: child.pid! };
		this.workers.push(worker);
		return worker;
	}

	async startWorkers(count: number): Promise<void> {
		await Promise.all(Array.from({ length: count }, () => this.startWorker()));
	}

	workerByPid(pid: number | undefined): Worker | undefined {
		return this.workers.find((w) => w.pid === pid);
	}

	/** SIGKILL, no goodbye: the way a container or a host dies. */
	async kill(worker: Worker): Promise<void> {
		process.kill(worker.pid, 'SIGKILL');
		await worker.child.exited;
		try {
			process.kill(-worker.pid, 'SIGKILL'); // its task runner, if any
		} catch {
			// group already empty
		}
		this.workers = this.workers.filter((w) => w !== worker);
	}

	workerLog(worker: Worker): string {
		return fs.readFileSync(worker.logFile, 'utf8');
	}

	async stop(): Promise<void> {
		await Promise.all(this.workers.map((w) => rt.stopProcess(w.child, 10_000)));
		this.workers = [];
		await this.n8n.stop();
	}
}
