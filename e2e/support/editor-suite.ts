/**
 * The package in n8n's editor, in a real browser (Debian's chromium through playwright-core):
 * the node is found and added, its icon, resources and operations render, and its credential form
 * opens, fills and tests against the sandbox. Screenshots go to test-artifacts/editor-n8n<line>/.
 */
import * as fs from 'fs';
import * as path from 'path';
import { chromium, selectors, type BrowserContext, type Page } from 'playwright-core';

import { Sandbox, freshN8n, lineSelected, lineTitle, timed, type LineId } from './fixtures';
import * as rt from './runtime';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const OWNER = { email: 'editor@example.com', password: 'Editor-Passw0rd!' };
const RESOURCES = ['Asset', 'Attachment', 'Comment', 'Custom API Call', 'Incident', 'Response'];
const SOME_ACTIONS = [
	'Get many incidents',
	'Get an incident',
	'Create a comment',
	'Confirm a response',
	'Download an attachment',
	'Make a custom API call',
];

export function editorSuite(line: LineId): void {
	const run = lineSelected(line) && fs.existsSync(CHROMIUM) ? describe : describe.skip;

	run(`the package in the editor of ${lineTitle(line)}, in chromium`, () => {
		let sandbox: Sandbox;
		let n8n: rt.N8n;
		let context: BrowserContext;
		let page: Page;
		let baseUrl: string;
		const shots = path.join(rt.ROOT, 'test-artifacts', `editor-n8n${line}`);
		let shotCount = 0;

		async function shot(name: string): Promise<void> {
			shotCount += 1;
			await page.screenshot({ path: path.join(shots, `${String(shotCount).padStart(2, '0')}-${name}.png`) });
		}

		async function visibleTexts(selector: string): Promise<string[]> {
			return await page.$$eval(selector, (elements) =>
				elements
					.filter((e) => (e as unknown as { offsetParent: unknown }).offsetParent !== null)
					.map((e) => (e.textContent ?? '').trim()),
			);
		}

		beforeAll(async () => {
			fs.rmSync(shots, { recursive: true, force: true });
			fs.mkdirSync(shots, { recursive: true });
			await timed(`${lineTitle(line)}: editor suite setup (n8n start, owner, chromium)`, async () => {
				n8n = freshN8n(line, 'editor');
				sandbox = await Sandbox.start(path.join(n8n.logDir, 'sandbox.log'));
				baseUrl = await n8n.start();
				await new rt.N8nRest(baseUrl).setupOwner(OWNER);

				// n8n marks its elements with data-test-id, not Playwright's default data-testid.
				selectors.setTestIdAttribute('data-test-id');
				context = await chromium.launchPersistentContext(path.join(n8n.userFolder, 'chromium-profile'), {
					executablePath: CHROMIUM,
					headless: true,
					viewport: { width: 1400, height: 900 },
					args: [
						'--headless',
						'--no-sandbox',
						'--disable-gpu',
						'--disable-quic',
						'--no-first-run',
						'--disable-background-networking',
						'--disable-component-update',
						'--disable-sync',
					],
				});
				page = context.pages()[0] ?? (await context.newPage());
				page.setDefaultTimeout(30_000);
			});
		});

		afterAll(async () => {
			await context?.close().catch(() => undefined);
			await n8n?.stop();
			await sandbox?.stop();
		});

		test('the owner signs in and opens a new workflow', async () => {
			await page.goto(`${baseUrl}/signin`);
			await page.locator('input[name="emailOrLdapLoginId"], input[name="email"]').first().fill(OWNER.email);
			await page.locator('input[name="password"]').fill(OWNER.password);
			await page.keyboard.press('Enter');
			await page.waitForURL(/\/(home|workflows)/);
			await page.goto(`${baseUrl}/workflow/new`);
			await page.getByTestId('canvas-plus-button').waitFor({ state: 'visible' });
			await shot('new-workflow');
		});

		test('the node creator finds Kaspersky MDR, with its icon', async () => {
			await page.getByTestId('node-creator-plus-button').click();
			const search = page
				.locator('input[data-test-id="node-creator-search-bar"], [data-test-id="node-creator-search-bar"] input')
				.first();
			await search.waitFor({ state: 'visible' });
			await search.fill('Kaspersky MDR');
			const item = page.getByTestId('node-creator-item-name').filter({ hasText: 'Kaspersky MDR' }).first();
			await item.waitFor({ state: 'visible' });
			const icons = await page.$$eval('img', (images) =>
				images
					.filter((i) => (i as unknown as { offsetParent: unknown }).offsetParent !== null)
					.map((i) => ({ src: i.getAttribute('src') ?? '', width: (i as unknown as { naturalWidth: number }).naturalWidth })),
			);
			await shot('node-creator-search');
			const icon = icons.find((i) => i.src.includes(`/icons/${rt.PACKAGE_NAME}/`) && i.src.endsWith('.svg'));
			expect(icon).toBeDefined();
			// The SVG was served and decoded (a broken icon has no natural size).
			expect(icon!.width).toBeGreaterThan(0);
		});

		test('its triggers and actions are listed, grouped by resource', async () => {
			await page.getByTestId('node-creator-item-name').filter({ hasText: 'Kaspersky MDR' }).first().click();
			const actionsCategory = page.getByTestId('node-creator-category-item').filter({ hasText: 'Actions' });
			await actionsCategory.waitFor({ state: 'visible' });
			const categories = await visibleTexts('[data-test-id="node-creator-category-item"]');
			expect(categories.join(' | ')).toMatch(/Triggers \(7\)/);
			const actionCount = Number(/Actions \((\d+)\)/.exec(categories.join(' '))?.[1]);
			expect(actionCount).toBeGreaterThanOrEqual(19);
			const getMany = page.getByTestId('node-creator-item-name').filter({ hasText: /^Get many incidents$/ });
			await page.getByTestId('node-creator-item-name').filter({ hasText: /^On new incident$/ }).waitFor();
			// n8n 2.x shows the actions folded, 1.x unfolded.
			if (!(await getMany.isVisible())) await actionsCategory.click();
			await getMany.waitFor({ state: 'visible' });
			await shot('triggers-and-actions');
			const names = await visibleTexts('[data-test-id="node-creator-item-name"]');
			expect(names).toEqual(expect.arrayContaining(['On new incident', ...SOME_ACTIONS]));
		});

		test('the node opens with its parameters, and lists every resource', async () => {
			await page.getByTestId('node-creator-item-name').filter({ hasText: /^Get many incidents$/ }).click();
			await page.getByTestId('parameter-input-resource').waitFor({ state: 'visible' });
			await shot('node-parameters');
			const labels = await visibleTexts('label');
			for (const label of ['Credential', 'Resource', 'Operation', 'Return All', 'Limit', 'Simplify']) {
				expect(labels.some((l) => l.startsWith(label))).toBe(true);
			}
			await page.getByTestId('parameter-input-resource').click();
			await page.getByText('Custom API Call', { exact: false }).first().waitFor({ state: 'visible' });
			// Only for the picture: the dropdown fades in.
			await page.waitForTimeout(600);
			await shot('resource-list');
			const options = await visibleTexts('li, [role="option"]');
			for (const resource of RESOURCES) expect(options.some((o) => o.startsWith(resource))).toBe(true);
			await page.keyboard.press('Escape');
		});

		test('the credential form opens, and a filled-in credential tests against the sandbox on save', async () => {
			const refreshToken = await sandbox.mintRefreshToken();
			await sandbox.resetCounters();
			const connect = page.getByTestId('node-credentials-empty-state');
			if (await connect.isVisible()) {
				await connect.click();
			} else {
				await page.getByTestId('node-credentials-select').click();
				await page.getByText('Create new credential').first().click();
			}
			const clientId = page.getByTestId('parameter-input-clientId').locator('input').first();
			await clientId.waitFor({ state: 'visible' });
			const formLabels = await visibleTexts('label');
			for (const label of ['Client ID', 'Refresh Token', 'API URL', 'Custom CA Certificate', 'Ignore SSL Issues']) {
				expect(formLabels.some((l) => l.startsWith(label))).toBe(true);
			}
			await shot('credential-form');

			await clientId.fill(sandbox.clientId);
			await page.getByTestId('parameter-input-refreshToken').locator('input').first().fill(refreshToken);
			await page.getByTestId('parameter-input-apiUrl').locator('input').first().fill(sandbox.apiUrl);
			await page.getByTestId('credential-save-button').click();
			// The banner is in the DOM at once but Playwright may judge it hidden while the form scrolls.
			await page.getByText(/Connection tested successfully/i).first().waitFor({ state: 'attached', timeout: 90_000 });
			await page.getByText(/Connection tested successfully/i).first().scrollIntoViewIfNeeded().catch(() => undefined);
			await shot('credential-tested');

			const counters = await sandbox.counters();
			expect(counters.confirm.ok).toBeGreaterThanOrEqual(1);
			expect(counters.confirm.rejected).toBe(0);
			expect(await sandbox.isValidRefreshToken(refreshToken)).toBe(false);
			// What the editor shows never contains the token.
			expect(await page.content()).not.toContain(refreshToken);
		});
	});
}
