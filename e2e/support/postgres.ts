/**
 * A throwaway PostgreSQL for n8n processes that share one database: queue mode, and several
 * `n8n execute` processes at once. Debian's `postgresql` package provides the binaries.
 */
import { spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import * as rt from './runtime';

type Logged = ChildProcess & { exited: Promise<{ code: number | null; signal: string | null }> };

const PG_BIN = process.env.SCALE_PG_BIN || '/usr/lib/postgresql/15/bin';

/**
 * A throwaway PostgreSQL on a free loopback port, data in a temporary folder, trust auth. n8n's
 * SQLite cannot be shared by several processes (workers fail with SQLITE_BUSY), so queue mode
 * needs it. PostgreSQL refuses to run as root: as root, it runs as the `postgres` user.
 */
export class Postgres {
	private constructor(
		readonly port: number,
		private readonly child: Logged,
		readonly dir: string,
		private readonly logDir: string,
	) {}

	/** `logDir` receives a copy of PostgreSQL's log when it stops. */
	static async start(logDir: string): Promise<Postgres> {
		// Its own folder: the run folder is private to root, and PostgreSQL runs as `postgres`.
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdr-scale-pg-'));
		const dataDir = path.join(dir, 'data');
		const asRoot = process.getuid?.() === 0;
		const runAs = (bin: string, args: string[]): [string, string[]] =>
			asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(PG_BIN, bin), ...args]] : [path.join(PG_BIN, bin), args];
		if (asRoot) fs.chownSync(dir, uidOf('postgres'), gidOf('postgres'));
		const [initCmd, initArgs] = runAs('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
		const init = spawnSync(initCmd, initArgs, { encoding: 'utf8' });
		if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
		const port = await rt.freePort();
		const logFile = path.join(dir, 'postgres.log');
		fs.writeFileSync(logFile, '');
		if (asRoot) fs.chownSync(logFile, uidOf('postgres'), gidOf('postgres'));
		const [cmd, args] = runAs('postgres', [
			'-D', dataDir, '-p', String(port), '-h', '127.0.0.1', '-k', dir,
			'-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200',
		]);
		const child = rt.spawnLogged(cmd, args, { env: process.env, logFile }) as Logged;
		await rt.waitFor(
			() => {
				if (child.exitCode !== null) throw new Error('postgres exited');
				return /ready to accept connections/.test(fs.readFileSync(logFile, 'utf8'));
			},
			{ timeoutMs: 30_000, intervalMs: 100, describe: () => rt.tail(fs.readFileSync(logFile, 'utf8')) },
		);
		const created = spawnSync(
			path.join(PG_BIN, 'createdb'),
			['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'n8n'],
			{ encoding: 'utf8' },
		);
		if (created.status !== 0) throw new Error(`createdb failed: ${created.stderr}`);
		return new Postgres(port, child, dir, logDir);
	}

	/** What n8n needs to use it. */
	get env(): Record<string, string> {
		return {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(this.port),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
		};
	}

	async stop(): Promise<void> {
		// SIGINT is PostgreSQL's fast shutdown (SIGTERM would wait for every client to leave).
		try {
			process.kill(-this.child.pid!, 'SIGINT');
		} catch {
			// already gone
		}
		const timer = setTimeout(() => void rt.stopProcess(this.child, 1_000), 10_000);
		await this.child.exited;
		clearTimeout(timer);
		await rt.stopProcess(this.child, 1_000);
		fs.mkdirSync(this.logDir, { recursive: true });
		fs.copyFileSync(path.join(this.dir, 'postgres.log'), path.join(this.logDir, 'postgres.log'));
		fs.rmSync(this.dir, { recursive: true, force: true });
	}
}

function idField(name: string, field: 2 | 3, file: string): number {
	const line = fs.readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith(`${name}:`));
	if (!line) throw new Error(`no ${name} in ${file}`);
	return Number(line.split(':')[field]);
}
const uidOf = (name: string) => idField(name, 2, '/etc/passwd');
const gidOf = (name: string) => idField(name, 3, '/etc/passwd');
