import { test, expect } from '@playwright/test';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, extname } from 'node:path';
test('probe react strict dom', async ({ page }) => {
  const dir = join(process.cwd(), 'demo/react/dist');
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = join(dir, path.startsWith('/assets/') ? path : 'index.html');
    res.writeHead(200, { 'content-type': extname(file) === '.js' ? 'text/javascript' : 'text/html' });
    res.end(await readFile(file));
  });
  await new Promise<void>((d) => server.listen(0, '127.0.0.1', d));
  const url = `http://127.0.0.1:${(server.address() as any).port}`;
  const logs: string[] = [];
  page.on('console', (m) => logs.push(m.text()));
  await page.goto(url);
  await page.waitForTimeout(500);
  const dump = () => page.evaluate(() => ({
    body: [...document.body.children].map((e) => `${e.tagName}#${e.id}.${e.className}[${e.getAttribute('aria-hidden')}]`),
    sheets: document.adoptedStyleSheets.length,
    regions: document.querySelectorAll('[role=region]').length,
    dialogs: document.querySelectorAll('dialog').length,
  }));
  console.log(JSON.stringify(await dump()));
  await page.getByRole('button', { name: 'Accept all' }).first().click();
  await page.waitForTimeout(300);
  console.log(JSON.stringify(await dump()));
  console.log(logs.join('\n'));
  server.close();
});
