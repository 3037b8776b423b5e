/**
 * n8n 1.x hands the transport a preAuthentication error that keeps only its text. Token problems
 * must still be recognised there: a rejected refresh waits for another process's rotation, and a
 * spent token is reported as such, not as a network failure.
 */
import { countIncidents } from '../harness/n8n';
import { recordSeen } from '../harness/secrets';
import {
	confirmCount,
	freshCredential,
	spendElsewhere,
	storedSession,
	usedCredential,
	useTestSandbox,
} from '../harness/sandbox';

const mdr = useTestSandbox();

it('reports a spent refresh token as rejected, not as a network failure', async () => {
	const store = await freshCredential(mdr.sandbox);
	store.n8nLine = 1;
	await spendElsewhere(mdr.sandbox, store.read().refreshToken as string);

	let message = '';
	try {
		await countIncidents(store);
	} catch (error) {
		recordSeen(error);
		message = (error as Error).message;
	}

	expect(message).toBe(
		'MDR rejected the refresh token: it was already used, has expired, or was revoked',
	);
	expect(store.writes).toHaveLength(0);
});

it('carries on with the token another process stored after our refresh was rejected', async () => {
	const store = await usedCredential(mdr.sandbox, -60);
	store.n8nLine = 1;
	const rival = await spendElsewhere(mdr.sandbox, store.read().refreshToken as string);
	const rivalWrite = new Promise<void>((resolve) =>
		setTimeout(() => {
			store.patch(storedSession(rival));
			resolve();
		}, 400),
	);

	expect(await countIncidents(store)).toBe(50);
	await rivalWrite;

	expect(await confirmCount(mdr.sandbox)).toEqual({ ok: 1, rejected: 1 });
	expect(store.read().refreshToken).toBe(rival.refresh_token);
});
