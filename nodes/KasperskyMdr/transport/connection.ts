import { X509Certificate } from 'crypto';
import type { IHttpRequestOptions } from 'n8n-workflow';

import { MdrTokenError } from './errors';

/** The credential as n8n hands it to the node and to preAuthentication. */
export interface MdrCredentials {
	clientId: string;
	refreshToken: string;
	apiUrl: string;
	customCa?: string;
	ignoreSslIssues?: boolean;
	/** Hidden bookkeeping, written by preAuthentication only. */
	accessToken?: string;
	accessTokenExpiresAt?: number | string;
	accessTokenIssuedFor?: string;
	sessionGate?: string;
}

export const CREDENTIAL_TYPE = 'kasperskyMdrApi';
export const DEFAULT_API_URL = 'https://mdr.kaspersky.com/api/v1';
export const CONSOLE_HINT = 'MDR Web Console → Settings → API (or Kaspersky Security Center → MDR → API)';

const CLIENT_ID_PATTERN = /^[A-Za-z0-9._~-]+$/;
const LOOPBACK_HOSTS = new Set(['localhost', '[::1]', '::1']);

function isLoopback(hostname: string): boolean {
	return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** The Client ID goes into the URL path, so it must stay exactly one harmless path segment. */
export function checkClientId(value: unknown): string {
	const clientId = typeof value === 'string' ? value.trim() : '';
	if (clientId === '') {
		throw new MdrTokenError(
			'CREDENTIAL_INVALID',
			'The Client ID in the Kaspersky MDR credential is empty',
			`Copy the Client ID shown next to the API connection in the ${CONSOLE_HINT}.`,
		);
	}
	if (!CLIENT_ID_PATTERN.test(clientId) || clientId === '.' || clientId === '..') {
		throw new MdrTokenError(
			'CREDENTIAL_INVALID',
			'The Client ID in the Kaspersky MDR credential contains characters MDR never uses',
			`A Client ID has only letters, digits, '-', '_', '.' and '~' (no '/', '?', '%' or spaces). Copy it again from the ${CONSOLE_HINT}.`,
		);
	}
	return clientId;
}

function parseUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

/** Only https, except for loopback addresses (the local MDR sandbox); no query or fragment. */
export function checkApiUrl(value: unknown): string {
	const text = typeof value === 'string' && value.trim() !== '' ? value.trim() : DEFAULT_API_URL;
	const url = parseUrl(text);
	if (url === undefined) {
		throw new MdrTokenError(
			'CREDENTIAL_INVALID',
			'The API URL in the Kaspersky MDR credential is not a URL',
			`Use ${DEFAULT_API_URL} unless your MDR region or proxy gives you another one.`,
		);
	}
	const plainHttpAllowed = url.protocol === 'http:' && isLoopback(url.hostname);
	if (url.protocol !== 'https:' && !plainHttpAllowed) {
		throw new MdrTokenError(
			'CREDENTIAL_INVALID',
			'The API URL in the Kaspersky MDR credential must start with https://',
			`Tokens are only sent over HTTPS (plain http is accepted for 127.0.0.1 and localhost only). Use ${DEFAULT_API_URL}.`,
		);
	}
	if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
		throw new MdrTokenError(
			'CREDENTIAL_INVALID',
			'The API URL in the Kaspersky MDR credential must not contain a query, fragment or user name',
			`Use the base URL only, for example ${DEFAULT_API_URL}.`,
		);
	}
	return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** `{api url}/{client id}/{path}`; the path is one of ours or checked by the caller. */
export function endpointUrl(credentials: MdrCredentials, path: string): string {
	const base = checkApiUrl(credentials.apiUrl);
	const clientId = encodeURIComponent(checkClientId(credentials.clientId));
	return `${base}/${clientId}/${path.replace(/^\/+/, '')}`;
}

function isCertificate(pem: string): boolean {
	try {
		return new X509Certificate(pem).subject !== undefined;
	} catch {
		return false;
	}
}

/** Checks the Custom CA Certificate once: only PEM certificates are accepted. */
export function checkCustomCa(value: unknown): string | undefined {
	const pem = typeof value === 'string' ? value.trim() : '';
	if (pem === '') return undefined;
	const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
	const invalid = () =>
		new MdrTokenError(
			'CREDENTIAL_INVALID',
			'The Custom CA Certificate in the Kaspersky MDR credential is not a PEM certificate',
			'Paste the certificate as text, from "-----BEGIN CERTIFICATE-----" to "-----END CERTIFICATE-----" (several certificates may follow each other), or leave the field empty.',
		);
	if (!blocks) throw invalid();
	if (!blocks.every(isCertificate)) throw invalid();
	return blocks.join('\n');
}

/**
 * TLS settings of the credential, for every request including session/confirm.
 * n8n 2.x honours `agentOptions.ca`; n8n 1.x drops it, which `describeTlsFailure` explains.
 */
export function tlsOptions(credentials: MdrCredentials): Partial<IHttpRequestOptions> {
	const options: Partial<IHttpRequestOptions> = {};
	if (credentials.ignoreSslIssues === true) options.skipSslCertificateValidation = true;
	const ca = checkCustomCa(credentials.customCa);
	if (ca !== undefined) {
		(options as { agentOptions?: { ca: string } }).agentOptions = { ca };
	}
	return options;
}

const TLS_ERROR_CODES = new Set([
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'UNABLE_TO_GET_ISSUER_CERT',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'CERT_UNTRUSTED',
	'CERT_HAS_EXPIRED',
	'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** A human explanation for a certificate failure, or undefined when the error is not one. */
export function describeTlsFailure(
	code: string | undefined,
	credentials: MdrCredentials,
): { message: string; description: string } | undefined {
	if (code === undefined || !TLS_ERROR_CODES.has(code)) return undefined;
	const hasCustomCa = typeof credentials.customCa === 'string' && credentials.customCa.trim() !== '';
	const message = `The MDR server's TLS certificate is not trusted (${code})`;
	if (hasCustomCa) {
		return {
			message,
			description:
				'The credential has a Custom CA Certificate, but the connection still failed. Check that it is the CA that signed the certificate your proxy presents. n8n versions before 2.0 cannot apply a CA per credential: start n8n with NODE_EXTRA_CA_CERTS=/path/to/ca.pem instead.',
		};
	}
	return {
		message,
		description:
			'A TLS-inspecting proxy probably sits between n8n and MDR. Paste its CA into "Custom CA Certificate" in the credential (n8n 2.x), or start n8n with NODE_EXTRA_CA_CERTS=/path/to/ca.pem (any version).',
	};
}
