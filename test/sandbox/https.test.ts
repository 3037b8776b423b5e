import { readFileSync } from 'node:fs';
import { Agent } from 'undici';

import { call, start, type SandboxHandle } from './client';

let sandbox: SandboxHandle;
let trusting: Agent;

beforeAll(async () => {
	sandbox = await start({ https: true, incidents: 10 });
	trusting = new Agent({ connect: { ca: sandbox.caPem } });
});

afterAll(async () => {
	await trusting.close();
	await sandbox.close();
});

test('the sandbox serves HTTPS and exposes its CA as PEM and as a file', () => {
	expect(sandbox.apiUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
	expect(sandbox.caPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
	expect(readFileSync(sandbox.caFile as string, 'utf8')).toBe(sandbox.caPem);
});

test('a client that trusts the CA connects, by IP and by localhost', async () => {
	const { refreshToken } = await sandbox.control.mintRefreshToken();
	const answer = await call(
		sandbox,
		'session/confirm',
		{ refresh_token: refreshToken },
		{ dispatcher: trusting },
	);
	expect(answer.status).toBe(200);

	const byName = { ...sandbox, apiUrl: sandbox.apiUrl.replace('127.0.0.1', 'localhost') };
	const count = await call(
		byName,
		'incidents/count',
		{},
		{ dispatcher: trusting, token: answer.json.access_token },
	);
	expect(count.json).toEqual({ count: 10 });
});

test('a client that does not trust the CA gets a TLS error', async () => {
	await expect(call(sandbox, 'incidents/count', {})).rejects.toThrow(
		/self[- ]signed|unable to (verify|get local issuer)|certificate/i,
	);
});

test('closing removes the certificate files', async () => {
	const other = await start({ https: true, incidents: 1 });
	await other.close();
	expect(() => readFileSync(other.caFile as string)).toThrow();
});
