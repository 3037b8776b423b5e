'use strict';

// JWT minting and checking, and the single-use refresh-token chain.
//
// A chain starts with a console refresh token (or a minted pair). Each session/confirm spends the
// presented refresh token and issues an access token plus the next refresh token; only that newest
// refresh token is valid for the chain from then on. Access tokens stay valid until their `exp`
// unless revoked or force-expired through the control API.

const crypto = require('node:crypto');
const { SignJWT, jwtVerify, decodeJwt } = require('jose');

const ISSUER = 'mdr-sandbox';

function createTokens({ clock, getConfig, clientId }) {
	// A fresh key per sandbox process: tokens from another run never verify.
	const secret = crypto.randomBytes(32);
	let refresh = new Map(); // jti → { chainId, exp, state: 'active' | 'spent' | 'revoked', origin }
	let access = new Map(); // jti → { chainId, seq, exp, revoked }
	let accessSeq = 0;
	let forcedExpirySeq = 0; // access tokens with seq <= this count as expired

	async function sign(typ, ttlSeconds) {
		const jti = crypto.randomUUID();
		const now = clock.now();
		const exp = Math.floor(now / 1000) + Math.trunc(ttlSeconds);
		const token = await new SignJWT({ typ })
			.setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
			.setIssuer(ISSUER)
			.setSubject(clientId)
			.setJti(jti)
			.setIssuedAt(Math.floor(now / 1000))
			.setExpirationTime(exp)
			.sign(secret);
		return { token, jti, exp };
	}

	async function issueRefresh(chainId, ttlSeconds, origin) {
		const minted = await sign('refresh', ttlSeconds);
		refresh.set(minted.jti, { chainId, exp: minted.exp, state: 'active', origin });
		return minted.token;
	}

	async function issueAccess(chainId, ttlSeconds) {
		const minted = await sign('access', ttlSeconds);
		access.set(minted.jti, { chainId, seq: ++accessSeq, exp: minted.exp, revoked: false });
		return minted.token;
	}

	/** A console-issued refresh token, as an administrator would copy from the MDR console. */
	async function mintConsoleRefresh({ ttlSeconds } = {}) {
		const ttl = ttlSeconds ?? getConfig().consoleRefreshTtlSeconds;
		return { refreshToken: await issueRefresh(crypto.randomUUID(), ttl, 'console') };
	}

	/** A pair as if a confirm had just happened; ttls may be zero or negative (already expired). */
	async function mintPair({ accessTtlSeconds, refreshTtlSeconds } = {}) {
		const config = getConfig();
		const chainId = crypto.randomUUID();
		return {
			accessToken: await issueAccess(chainId, accessTtlSeconds ?? config.accessTtlSeconds),
			refreshToken: await issueRefresh(
				chainId,
				refreshTtlSeconds ?? config.refreshTtlSeconds,
				'minted',
			),
		};
	}

	/** Verifies signature and claims; `{payload}` or `{reason}` (malformed, expired, wrong-client). */
	async function verify(token) {
		if (typeof token !== 'string' || token.split('.').length !== 3) return { reason: 'malformed' };
		try {
			const { payload } = await jwtVerify(token, secret, {
				issuer: ISSUER,
				algorithms: ['HS256'],
				currentDate: new Date(clock.now()),
			});
			if (payload.sub !== clientId) return { reason: 'wrong-client', payload };
			return { payload };
		} catch (error) {
			if (error.code === 'ERR_JWT_EXPIRED') return { reason: 'expired', payload: error.payload };
			return { reason: 'malformed' };
		}
	}

	/** `{valid, reason, jti}` for a refresh token, without spending it. */
	async function checkRefresh(token) {
		const { payload, reason } = await verify(token);
		if (!payload) return { valid: false, reason };
		if (payload.typ !== 'refresh') return { valid: false, reason: 'not-a-refresh-token' };
		const record = refresh.get(payload.jti);
		if (!record) return { valid: false, reason: 'unknown' };
		if (record.state !== 'active') return { valid: false, reason: record.state };
		if (reason) return { valid: false, reason };
		return { valid: true, reason: 'ok', jti: payload.jti };
	}

	/** session/confirm: spends the refresh token and rotates the chain. */
	async function confirm(token) {
		const check = await checkRefresh(token);
		if (!check.valid) return { ok: false, reason: check.reason };

		// Claim the token synchronously: a concurrent confirm of the same token that was waiting on
		// signature verification finds it spent here.
		const record = refresh.get(check.jti);
		if (record.state !== 'active') return { ok: false, reason: record.state };
		record.state = 'spent';

		const config = getConfig();
		return {
			ok: true,
			access_token: await issueAccess(record.chainId, config.accessTtlSeconds),
			refresh_token: await issueRefresh(record.chainId, config.refreshTtlSeconds, 'rotated'),
		};
	}

	/** `{ok}` or `{ok: false, reason}` with reason expired | revoked | unknown | malformed | ... */
	async function checkAccess(token) {
		const { payload, reason } = await verify(token);
		if (!payload) return { ok: false, reason };
		if (payload.typ !== 'access') return { ok: false, reason: 'not-an-access-token' };
		const record = access.get(payload.jti);
		if (!record) return { ok: false, reason: 'unknown' };
		if (record.revoked) return { ok: false, reason: 'revoked' };
		if (reason) return { ok: false, reason };
		if (record.seq <= forcedExpirySeq) return { ok: false, reason: 'expired' };
		return { ok: true, jti: payload.jti };
	}

	function jtiOf(token) {
		if (typeof token !== 'string') return undefined;
		try {
			return decodeJwt(token).jti;
		} catch {
			return undefined;
		}
	}

	/** `{refreshToken}`, `{accessToken}`, `{allAccess: true}` and/or `{allRefresh: true}`. */
	function revoke({ refreshToken, accessToken, allAccess, allRefresh } = {}) {
		const refreshRecords = allRefresh ? [...refresh.values()] : [refresh.get(jtiOf(refreshToken))];
		const accessRecords = allAccess ? [...access.values()] : [access.get(jtiOf(accessToken))];
		let revoked = 0;
		for (const record of refreshRecords) {
			if (record?.state !== 'active') continue;
			record.state = 'revoked';
			revoked++;
		}
		for (const record of accessRecords) {
			if (!record || record.revoked) continue;
			record.revoked = true;
			revoked++;
		}
		return { revoked };
	}

	/** Every access token issued so far counts as expired from now on (a server-side revoke). */
	function expireAccess() {
		const before = forcedExpirySeq;
		forcedExpirySeq = accessSeq;
		return {
			expired: Array.from(access.values()).filter((r) => r.seq > before && r.seq <= forcedExpirySeq)
				.length,
		};
	}

	/** A loggable stand-in for a token: which token it was, never the token itself. */
	function fingerprint(token) {
		try {
			const { jti, typ } = decodeJwt(token);
			return { jti, typ };
		} catch {
			return { invalid: true };
		}
	}

	function clear() {
		refresh = new Map();
		access = new Map();
		forcedExpirySeq = accessSeq;
	}

	return {
		mintConsoleRefresh,
		mintPair,
		checkRefresh,
		confirm,
		checkAccess,
		revoke,
		expireAccess,
		fingerprint,
		clear,
	};
}

module.exports = { createTokens };
