import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { DEFAULT_API_URL, tlsOptions, type MdrCredentials } from '../nodes/KasperskyMdr/transport/connection';
import { markStored, prepareSession } from '../nodes/KasperskyMdr/transport/token';

export class KasperskyMdrApi implements ICredentialType {
	name = 'kasperskyMdrApi';

	displayName = 'Kaspersky MDR API';

	icon: Icon = { light: 'file:../icons/kasperskyMdr.svg', dark: 'file:../icons/kasperskyMdr.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-kaspersky-mdr/n8n-nodes-kaspersky-mdr#set-up-the-kaspersky-mdr-api-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description:
				'Shown next to the API connection in the MDR Web Console → Settings → API (or Kaspersky Security Center → MDR → API)',
		},
		{
			displayName: 'Refresh Token',
			name: 'refreshToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The refresh token of the API connection. It works only once: n8n replaces it with each new one MDR issues, so paste a fresh token only when you create a new one in the console. Enter it as plain text, not as an expression (n8n 2.x cannot store the rotated token into an expression).',
		},
		{
			displayName: 'API URL',
			name: 'apiUrl',
			type: 'string',
			default: DEFAULT_API_URL,
			description:
				'Base URL of the MDR REST API. Only https:// is accepted, except http:// for 127.0.0.1 and localhost (the local MDR sandbox).',
		},
		{
			displayName: 'Custom CA Certificate',
			name: 'customCa',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			placeholder: '-----BEGIN CERTIFICATE-----',
			description:
				'PEM certificate of a TLS-inspecting proxy between n8n and MDR, applied to every request. Works on n8n 2.x; on n8n 1.x start n8n with NODE_EXTRA_CA_CERTS=/path/to/ca.pem instead (a connection that still fails says so).',
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'ignoreSslIssues',
			type: 'boolean',
			default: false,
			description:
				'Whether to connect even if the TLS certificate cannot be verified. Tokens then travel without protection against interception: prefer Custom CA Certificate.',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Access Token Expires At',
			name: 'accessTokenExpiresAt',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Access Token Issued For',
			name: 'accessTokenIssuedFor',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
		{
			// Always empty, so that n8n runs preAuthentication before every request; the hook itself
			// decides whether a refresh is due and returns nothing when it is not.
			displayName: 'Session Gate',
			name: 'sessionGate',
			type: 'hidden',
			typeOptions: { expirable: true },
			default: '',
		},
	];

	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		return await prepareSession(
			async (options) => await this.helpers.httpRequest(options),
			credentials as unknown as MdrCredentials,
		);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		markStored(credentials);
		return {
			...requestOptions,
			...tlsOptions(credentials as unknown as MdrCredentials),
			headers: {
				...requestOptions.headers,
				Authorization: `Bearer ${String(credentials.accessToken ?? '')}`,
			},
		};
	}

	// Proves the stored access token works with a cheap read; a refresh, if due, is stored by n8n.
	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			url: '={{$credentials.apiUrl.trim().replace(/\\/+$/, "")}}/{{encodeURIComponent($credentials.clientId.trim())}}/incidents/count',
			body: {},
			json: true,
		},
	};
}
