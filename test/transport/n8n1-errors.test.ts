/**
 * n8n 1.x hands the transport a preAuthentication error that keeps only its text. Token problems
 * must still be recognised there: a rejected refresh waits for another process's rotation, and a
 * spent token is reported as such, not as a network failure.
 */
import { mdrRequest } from '../../nodes/KasperskyMdr/transport/request';
import { tokenFingerprint, readJwtExpiry } from '../../nodes/KasperskyMdr/transport/token';
import { CredentialStore, nodeContext } from '../harness/n8n';
import { recordSeen, registerToken } from '../harness/secrets';
import { confirmCount, freshCredential, startTestSandbox, usedCredential, type Sandbox } from '../harness/sandbox';

let sandbox: Sandbox;

beforeAll(async () => {
	sandbox = await startTestSandbox();
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(async () => {
	await sandbox.control.resetCounters();
});

async function countIncidents(store: CredentialStore): Promise<number> {
	const answer = await mdrRequest<{ count: number }>(nodeContext(store), {
		path: 'incidents/count',
		body: {},
		kind: 'read',
	});
	return answer.count;
}

async function spendElsewhere(refreshToken: string) {
	const response = await fetch(`${sandbox.apiUrl}/${sandbox.clientId}/session/confirm`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ refresh_token: refreshToken }),
	});
	const answer = (await response.json()) as { access_token: string; refresh_token: string };
	registerToken(answer.access_token);
	registerToken(answer.refresh_token);
	return answer;
}

it('reports a spent refresh token as rejected, not as a network failure', async () => {
	const store = await freshCredential(sandbox);
	store.n8nLine = 1;
	await spendElsewhere(store.read().refreshToken as string);

	let message = '';
	try {
		await countIncidents(store);
	} catch (error) {
		recordSeen(error);
		message = (error as Error).message;
	}

	expect(message).toBe('MDR rejected the refresh token: it was already used, has expired, or was revoked');
	expect(store.writes).toHaveLength(0);
});

it('carries on with the token another process stored after our refresh was rejected', async () => {
	const store = await usedCredential(sandbox, -60);
	store.n8nLine = 1;
	const rival = await spendElsewhere(store.read().refreshToken as string);
	const rivalWrite = new Promise<void>((resolve) =>
		setTimeout(() => {
			store.patch({
				accessToken: rival.access_token,
				refreshToken: rival.refresh_token,
				accessTokenExpiresAt: String(readJwtExpiry(rival.access_token) ?? ''),
				accessTokenIssuedFor: tokenFingerprint(rival.refresh_token),
			});
			resolve();
		}, 400),
	);

	expect(await countIncidents(store)).toBe(50);
	await rivalWrite;

	expect(await confirmCount(sandbox)).toEqual({ ok: 1, rejected: 1 });
	expect(store.read().refreshToken).toBe(rival.refresh_token);
});
