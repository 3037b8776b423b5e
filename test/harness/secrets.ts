/**
 * Secret hygiene. Every token a test run handles is registered here, and every error, output
 * item and trigger static data the tests produce is recorded. After each test file both sets are
 * written to a shared folder, and the global teardown (`hygiene-teardown.js`) fails the run when
 * any token — or any 12-character slice of one — appears in anything recorded.
 */
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { randomBytes } from 'crypto';

const tokens = new Set<string>();
const seen: string[] = [];

export function registerToken(token: unknown): void {
	if (typeof token === 'string' && token.trim().length >= 12) tokens.add(token.trim());
}

function errorFields(_key: string, value: unknown): unknown {
	if (value instanceof Error) {
		const { message, stack } = value;
		const description = (value as { description?: unknown }).description;
		return { ...value, message, description, stack };
	}
	return value;
}

export function recordSeen(value: unknown): void {
	if (value === undefined) return;
	seen.push(typeof value === 'string' ? value : (JSON.stringify(value, errorFields) ?? ''));
}

/** Called after each test file (see setup.ts). */
export function flushHygieneRecord(): void {
	const folder = process.env.MDR_HYGIENE_DIR;
	if (!folder) return;
	mkdirSync(folder, { recursive: true });
	const file = join(folder, `${process.pid}-${randomBytes(6).toString('hex')}.json`);
	writeFileSync(file, JSON.stringify({ tokens: [...tokens], seen }));
	tokens.clear();
	seen.length = 0;
}
