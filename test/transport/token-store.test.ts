/**
 * n8n's database refuses to store a rotation (a SQLite file locked by another n8n process, a
 * dropped PostgreSQL connection). MDR has already spent the old refresh token, so the successor
 * this process holds is the only way back in: it must be stored again, without another confirm,
 * and the request that was waiting for it must be sent exactly once.
 */
import { countIncidents, runNode, type CredentialStore } from '../harness/n8n';
import { registerToken } from '../harness/secrets';
import { confirmCount, endpointCount, freshCredential, usedCredential, useTestSandbox } from '../harness/sandbox';

const mdr = useTestSandbox();

const NOT_SAVED = 'MDR issued a new refresh token, but n8n could not save it to the credential';

async function isValid(refreshToken: unknown): Promise<boolean> {
	return (await mdr.sandbox.control.checkToken({ refreshToken: String(refreshToken) })).valid === true;
}

async function firstIncidentId(): Promise<string> {
	const [first] = (await mdr.sandbox.control.listIncidents()) as Array<{ incident_id: string }>;
	return first.incident_id;
}

async function commentOn(store: CredentialStore, incidentId: string, text: string) {
	return await runNode(store, {
		resource: 'comment',
		operation: 'create',
		incidentId: { __rl: true, mode: 'id', value: incidentId },
		text,
	});
}

describe.each([1, 2] as const)('on n8n %i.x, when the database refuses to store a rotation', (line) => {
	it('stores the successor on a later attempt, with one confirm, and the read succeeds', async () => {
		const store = await freshCredential(mdr.sandbox);
		store.n8nLine = line;
		const consoleToken = store.read().refreshToken;
		store.refuseWrites = 2;

		expect(await countIncidents(store)).toBe(50);

		expect(await confirmCount(mdr.sandbox)).toEqual({ ok: 1, rejected: 0 });
		expect(store.writes).toHaveLength(1);
		expect((await endpointCount(mdr.sandbox, 'incidents/count')).received).toBe(1);
		const stored = store.read();
		expect(await isValid(stored.refreshToken)).toBe(true);
		expect(await isValid(consoleToken)).toBe(false);
	});

	it('sends a write exactly once after the store finally succeeds', async () => {
		const store = await usedCredential(mdr.sandbox, -60);
		store.n8nLine = line;
		store.refuseWrites = 3;
		const incidentId = await firstIncidentId();

		const { items, error } = await commentOn(store, incidentId, `stored on the fourth try (${line}.x)`);

		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(await endpointCount(mdr.sandbox, 'comments/create')).toMatchObject({ received: 1, performed: 1 });
		expect(await confirmCount(mdr.sandbox)).toEqual({ ok: 1, rejected: 0 });
		expect(await isValid(store.read().refreshToken)).toBe(true);
	});

	it('fails clearly when the database never accepts it, sends nothing, and heals on the next run', async () => {
		const store = await freshCredential(mdr.sandbox);
		store.n8nLine = line;
		const consoleToken = store.read().refreshToken;
		store.refuseWrites = 100;
		const incidentId = await firstIncidentId();

		const { error } = await commentOn(store, incidentId, 'never sent');

		expect(error?.message).toBe(NOT_SAVED);
		expect(error?.description).toContain('SQLITE_BUSY: database is locked');
		expect(error?.description).toContain('comments/create was not sent');
		expect(await endpointCount(mdr.sandbox, 'comments/create')).toMatchObject({ received: 0 });
		expect(await confirmCount(mdr.sandbox)).toEqual({ ok: 1, rejected: 0 });
		// The credential still holds the spent token: only this process knows its successor.
		expect(store.read().refreshToken).toBe(consoleToken);
		expect(await isValid(consoleToken)).toBe(false);

		store.refuseWrites = 0;
		expect(await countIncidents(store)).toBe(50);

		expect(await confirmCount(mdr.sandbox)).toEqual({ ok: 1, rejected: 0 });
		const healed = store.read();
		registerToken(healed.refreshToken);
		expect(healed.refreshToken).not.toBe(consoleToken);
		expect(await isValid(healed.refreshToken)).toBe(true);
	});

	it('recovers on the forced refresh after a 403 as well', async () => {
		await mdr.sandbox.control.setConfig({ expiredAccessStatus: 403 });
		try {
			const store = await usedCredential(mdr.sandbox, 3600);
			store.n8nLine = line;
			await mdr.sandbox.control.expireAccessTokens();
			store.refuseWrites = 1;

			expect(await countIncidents(store)).toBe(50);

			expect(await confirmCount(mdr.sandbox)).toEqual({ ok: 1, rejected: 0 });
			expect((await endpointCount(mdr.sandbox, 'incidents/count')).performed).toBe(1);
			expect(await isValid(store.read().refreshToken)).toBe(true);
		} finally {
			await mdr.sandbox.control.setConfig({ expiredAccessStatus: 401 });
		}
	});
});
