/**
 * A pass-through HTTP proxy in front of the sandbox's API. Every n8n process talks to MDR through
 * it, which lets the suite see which process sent each token refresh (the client's port is looked
 * up in the kernel's socket table) and hold a refresh at a chosen moment: before it reaches MDR, or
 * after MDR answered but before the answer reaches n8n.
 */
import { execFileSync } from 'child_process';
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface ConfirmSeen {
	at: number;
	pid?: number;
	status?: number;
	answeredAt?: number;
}

export type HoldMode = 'before-mdr' | 'after-mdr';

interface Hold {
	mode: HoldMode;
	seen?: (info: { pid?: number }) => void;
	release?: () => void;
}

/** The process that owns the client end of a loopback connection. */
export function pidOfClientPort(port: number): number | undefined {
	try {
		const out = execFileSync('ss', ['-tnpH', `( sport = :${port} )`], { encoding: 'utf8' });
		const match = /pid=(\d+)/.exec(out);
		return match ? Number(match[1]) : undefined;
	} catch {
		return undefined;
	}
}

export class MdrProxy {
	private server?: http.Server;
	private hold?: Hold;
	apiUrl = '';
	confirms: ConfirmSeen[] = [];

	constructor(private readonly target: string) {}

	async start(): Promise<void> {
		const target = new URL(this.target);
		this.server = http.createServer((req, res) => {
			const isConfirm = (req.url ?? '').endsWith('/session/confirm');
			let seen: ConfirmSeen | undefined;
			if (isConfirm) {
				seen = { at: Date.now(), pid: pidOfClientPort(req.socket.remotePort ?? 0) };
				this.confirms.push(seen);
			}
			const hold = isConfirm ? this.hold : undefined;
			if (hold) this.hold = undefined;

			const forward = () => {
				const upstream = http.request(
					{
						host: target.hostname,
						port: target.port,
						method: req.method,
						path: req.url,
						headers: { ...req.headers, host: target.host },
					},
					(answer) => {
						const chunks: Buffer[] = [];
						answer.on('data', (chunk: Buffer) => chunks.push(chunk));
						answer.on('end', () => {
							if (seen) {
								seen.status = answer.statusCode;
								seen.answeredAt = Date.now();
							}
							const send = () => {
								if (res.destroyed) return;
								res.writeHead(answer.statusCode ?? 502, answer.headers);
								res.end(Buffer.concat(chunks));
							};
							if (hold?.mode === 'after-mdr') {
								hold.release = send;
								hold.seen?.({ pid: seen?.pid });
							} else {
								send();
							}
						});
					},
				);
				upstream.on('error', () => res.destroy());
				req.pipe(upstream);
			};

			if (hold?.mode === 'before-mdr') {
				req.pause();
				hold.release = () => {
					if (req.destroyed || res.destroyed) return;
					req.resume();
					forward();
				};
				hold.seen?.({ pid: seen?.pid });
			} else {
				forward();
			}
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		const { port } = this.server.address() as AddressInfo;
		this.apiUrl = `http://127.0.0.1:${port}${target.pathname}`;
	}

	/**
	 * Holds the next session/confirm, `before-mdr` (MDR never sees it while held) or `after-mdr`
	 * (MDR has spent the token and answered; n8n does not get the answer while held). Resolves with
	 * the pid of the n8n process that sent it, once the hold is in place.
	 */
	holdNextConfirm(mode: HoldMode): { held: Promise<{ pid?: number }>; release: () => void } {
		const hold: Hold = { mode };
		const held = new Promise<{ pid?: number }>((resolve) => {
			hold.seen = resolve;
		});
		this.hold = hold;
		return { held, release: () => hold.release?.() };
	}

	async stop(): Promise<void> {
		if (!this.server) return;
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
	}
}
