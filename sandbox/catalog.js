'use strict';

// Word lists and incident scenarios the data generator draws from. Invented, but shaped like what
// an MDR SOC reports, so that demos look plausible.

const DEFAULT_TENANTS = ['Acme Corporation', 'Globex Logistics', 'Initech Finance'];

const HOST_PREFIXES = ['WS', 'LAPTOP', 'SRV', 'DC', 'SQL', 'WEB', 'FS', 'VDI'];

const OPERATING_SYSTEMS = [
	['Windows 10 Enterprise 22H2', 'Kaspersky Endpoint Security for Windows 12.5.0.538'],
	['Windows 11 Pro 23H2', 'Kaspersky Endpoint Security for Windows 12.6.0.438'],
	['Windows Server 2019 Standard', 'Kaspersky Endpoint Security for Windows 12.5.0.538'],
	['Windows Server 2022 Datacenter', 'Kaspersky Endpoint Security for Windows 12.6.0.438'],
	['Ubuntu 22.04.4 LTS', 'Kaspersky Endpoint Security for Linux 12.1.0.1297'],
	['Red Hat Enterprise Linux 9.3', 'Kaspersky Endpoint Security for Linux 12.1.0.1297'],
	['macOS 14.4 Sonoma', 'Kaspersky Endpoint Security for Mac 12.1.0.325'],
];

// [status, weight, reasons]
const ASSET_STATUSES = [
	['OK', 70, []],
	['WARNING', 12, ['Anti-virus databases are outdated']],
	['CRITICAL', 6, ['Real-time protection is off', 'Anti-virus databases are obsolete']],
	['OFFLINE', 10, ['Host has not connected for a long time']],
	['ABSENT', 2, ['Host is not visible in the network']],
];

const SOC_AUTHORS = ['Kaspersky SOC', 'MDR Analyst L2', 'MDR Analyst L3'];
const CLIENT_AUTHORS = ['j.doe@customer.example', 'secops@customer.example'];

const RESPONSE_TYPES = [
	'RUN_SCRIPT',
	'NETWORK_ISOLATION',
	'QUARANTINE_FILE',
	'DELETE_FILE',
	'KILL_PROCESS',
	'GET_FILE',
];

const ATTACHMENT_NAMES = [
	'triage.zip',
	'process_tree.json',
	'timeline.csv',
	'memory_strings.txt',
	'report.pdf',
	'sample.bin',
];

const SCENARIOS = [
	{
		summary: 'Suspicious PowerShell execution on {host}',
		technology: 'EDR',
		stage: 'Execution',
		tactics: ['Execution', 'Defense evasion'],
		techniques: ['T1059.001: PowerShell', 'T1027: Obfuscated Files or Information'],
		process: 'powershell.exe -nop -w hidden -enc SQBFAFgA...',
	},
	{
		summary: 'Credential dumping attempt from LSASS memory on {host}',
		technology: 'EDR',
		stage: 'Credential access',
		tactics: ['Credential access'],
		techniques: ['T1003.001: LSASS Memory', 'T1134: Access Token Manipulation'],
		process: 'rundll32.exe C:\\Windows\\System32\\comsvcs.dll MiniDump',
	},
	{
		summary: 'Connection to a known command-and-control server from {host}',
		technology: 'KATA',
		stage: 'Command and control',
		tactics: ['Command and control'],
		techniques: ['T1071.001: Web Protocols'],
		process: 'svchost.exe -k netsvcs',
	},
	{
		summary: 'Lateral movement via remote service creation to {host}',
		technology: 'KATA',
		stage: 'Lateral movement',
		tactics: ['Lateral movement', 'Persistence'],
		techniques: ['T1021.002: SMB/Windows Admin Shares', 'T1543.003: Windows Service'],
		process: 'services.exe',
	},
	{
		summary: 'Ransomware-like file encryption activity on {host}',
		technology: 'EPP',
		stage: 'Impact',
		tactics: ['Impact'],
		techniques: ['T1486: Data Encrypted for Impact', 'T1490: Inhibit System Recovery'],
		process: 'vssadmin.exe delete shadows /all /quiet',
	},
	{
		summary: 'Phishing document spawned a script interpreter on {host}',
		technology: 'Sandbox',
		stage: 'Initial access',
		tactics: ['Initial access', 'Execution'],
		techniques: ['T1566.001: Spearphishing Attachment', 'T1204.002: Malicious File'],
		process: 'WINWORD.EXE → wscript.exe invoice.js',
	},
	{
		summary: 'Scheduled task created for persistence on {host}',
		technology: 'EDR',
		stage: 'Persistence',
		tactics: ['Persistence', 'Privilege escalation'],
		techniques: ['T1053.005: Scheduled Task'],
		process: 'schtasks.exe /create /sc minute /tn Updater',
	},
	{
		summary: 'Discovery commands run in quick succession on {host}',
		technology: 'EDR',
		stage: 'Discovery',
		tactics: ['Discovery'],
		techniques: ['T1087.002: Domain Account', 'T1018: Remote System Discovery'],
		process: 'cmd.exe /c net group "domain admins" /domain',
	},
];

const COMMENT_TEXTS = [
	'We have **confirmed** the activity as malicious. Please review the proposed responses.',
	'The host was isolated by the SOC. Contact us before lifting the isolation.',
	'Could you confirm whether `{host}` is used for software testing?',
	'Additional telemetry attached:\n\n- process tree\n- network connections',
	'The activity matches a known penetration test window, closing as *false positive*.',
	'No further activity observed in the last 24 hours.',
];

// Scenario arrays are shared by every incident drawn from them, so they are frozen: a change must
// replace an incident's array, never edit it in place.
for (const scenario of SCENARIOS) {
	Object.freeze(scenario.tactics);
	Object.freeze(scenario.techniques);
	scenario.processIoc = Object.freeze({ type: 'PROCESS', value: scenario.process });
	Object.freeze(scenario);
}

module.exports = {
	DEFAULT_TENANTS,
	HOST_PREFIXES,
	OPERATING_SYSTEMS,
	ASSET_STATUSES,
	SOC_AUTHORS,
	CLIENT_AUTHORS,
	RESPONSE_TYPES,
	ATTACHMENT_NAMES,
	SCENARIOS,
	COMMENT_TEXTS,
};
