// The delivery view (GET /mock/ui) in a real browser: Debian's Chromium, headless, driven by
// playwright-core. Starts the mock and two receivers (main answers 500 once, then 200; crm 200),
// sends notifications, changes the configuration from outside the page, fills the journal with
// 25,000 events, and asserts what a person sees. Prints the figures it measures and saves a
// screenshot.
//   node delivery_view.mjs PATH/TO/multihook-mock SCREENSHOT.png [--sanitized]
// Exit 77 (skipped) when Chromium or playwright-core is absent.
import {spawn} from 'node:child_process';
import http from 'node:http';
import {mkdirSync} from 'node:fs';
import {dirname} from 'node:path';
import {performance} from 'node:perf_hooks';
import readline from 'node:readline';
import {existsSync} from 'node:fs';

const [mockPath, screenshotPath, mode] = process.argv.slice(2);
// Under a sanitizer the mock is several times slower: its timings are printed, not gated.
const timed = mode !== '--sanitized';
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
if (!existsSync(chromiumPath)) {
  console.log(`SKIP: no Chromium at ${chromiumPath} (Debian: apt-get install chromium)`);
  process.exit(77);
}
let chromium;
try {
  ({chromium} = await import('playwright-core'));
} catch {
  console.log('SKIP: playwright-core is not installed (run tests/browser/install.sh)');
  process.exit(77);
}

const now = () => performance.timeOrigin + performance.now();  // ms since the epoch
const failures = [];
function check(ok, what) {
  if (!ok) failures.push(what);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
}

// A receiver that answers the statuses of `script` in turn (the last one repeats) and notes when
// each answer was fully sent, and what it got (body and signature header).
function startReceiver(name, script, delayMs) {
  const finished = [];
  const received = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => setTimeout(() => {
      received.push({body: Buffer.concat(chunks).toString('utf8'),
                     signature: req.headers['x-360dialog-signature']});
      const status = script[Math.min(finished.length, script.length - 1)];
      res.on('finish', () => finished.push({status, at: now()}));
      res.writeHead(status, {'Content-Type': 'text/plain'}).end(`${name} ${status}`);
    }, delayMs));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    name, server, finished, received, url: `http://127.0.0.1:${server.address().port}`,
  })));
}

function startMock(routes) {
  // bulk-key has no main webhook: its events are journaled as undeliverable, with no I/O.
  const args = ['--port', '0', '--apply-delay', '0', '--channel', 'ui-key:15550001111',
                '--channel', 'bulk-key:15550002222', '--status-delays', '0,0,0',
                '--signing-secret', 'view-secret', '--retry-first', '2s',
                ...routes.flatMap((r) => ['--route', r])];
  const child = spawn(mockPath, args, {stdio: ['ignore', 'pipe', 'inherit']});
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the mock did not start within 10 s')), 10000);
    readline.createInterface({input: child.stdout}).once('line', (line) => {
      clearTimeout(timer);
      resolve({child, base: line.replace('multihook-mock listening on ', '')});
    });
    child.once('exit', (code) => reject(new Error(`the mock exited (${code})`)));
  });
}

async function api(base, method, path, body, key) {
  const headers = key ? {'D360-API-KEY': key} : {};
  const response = await fetch(base + path, {method, headers, body: body && JSON.stringify(body)});
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

// Time from sending a GET (on a new connection, once it is open) to the first byte of the answer.
function firstByteOnce(url) {
  let sent = 0;
  return new Promise((resolve, reject) => {
    const request = http.get(url, {agent: false}, (res) => {
      let time = 0;
      res.once('data', () => { time = performance.now() - sent; });
      res.on('end', () => resolve(time)).resume();
    });
    request.once('socket', (socket) => socket.once('connect', () => { sent = performance.now(); }));
    request.on('error', reject);
  });
}

// First-byte times of each of `urls`, requested in turn `runs` times (so that each sees the
// machine's load of the same moments): {p50, max} per url.
async function firstByteMs(urls, runs) {
  const times = urls.map(() => []);
  for (let i = 0; i < runs; ++i) {
    for (let u = 0; u < urls.length; ++u) times[u].push(await firstByteOnce(urls[u]));
  }
  return times.map((t) => {
    t.sort((a, b) => a - b);
    return {p50: t[Math.floor(runs / 2)], max: t[runs - 1]};
  });
}

// Records, in the page, when each event's element is inserted and what its gate says then.
function watchEvents() {
  window.__shown = [];
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      for (const node of m.addedNodes) {
        if (node.nodeType !== 1 || !node.classList.contains('event')) continue;
        window.__shown.push({id: node.dataset.event, at: performance.timeOrigin + performance.now(),
                             gate: node.querySelector('.gate').textContent,
                             rows: node.querySelectorAll('tbody tr').length});
      }
    }
  }).observe(document.getElementById('events'), {childList: true});
}

// The first insertion of that event with at least `rows` attempts: when ({at}, ms since the
// epoch) and what its gate said then ({gate}).
async function shown(page, eventId, rows) {
  const handle = await page.waitForFunction(
      ([id, n]) => window.__shown.find((s) => s.id === id && s.rows >= n), [eventId, rows],
      {timeout: 5000}).catch(() => {
    throw new Error(`the list did not show ${eventId} with ${rows} attempt(s) within 5 s, ` +
                    'without a reload');
  });
  return handle.jsonValue();
}

async function attemptsShown(page, eventId) {
  const item = page.locator(`[data-event="${eventId}"]`);
  await item.locator('summary').click();
  return item.locator('tbody tr').evaluateAll((rows) => rows.map((row) => {
    const cells = [...row.cells].map((c) => c.textContent.trim());
    return {order: cells[0], destination: cells[1], result: cells[3], latency: cells[4],
            us: Number(row.cells[4].dataset.us), attempt: cells[5]};
  }));
}

// What the page shows of an event's delivered request.
function deliveredShown(page, eventId) {
  return page.locator(`[data-event="${eventId}"]`).evaluate((e) => ({
    type: e.querySelector('.type')?.textContent,
    signature: e.querySelector('.delivered code.signature')?.textContent,
    body: e.querySelector('pre.body')?.textContent,
    copy: e.querySelector('button.copy:not([hidden])') !== null,
  }));
}

// The same JSON (key order included), however it is indented.
function sameJson(a, b) {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
}

// Sends POST /messages (three status notifications each) until `count` events were submitted,
// on `streams` kept-alive connections at once.
async function fillJournal(base, key, count, streams) {
  const body = JSON.stringify({messaging_product: 'whatsapp', to: '15551230000', type: 'text',
                               text: {body: 'bulk'}});
  const agent = new http.Agent({keepAlive: true, maxSockets: streams});
  const {hostname, port} = new URL(base);
  const send = () => new Promise((resolve, reject) => {
    const request = http.request({host: hostname, port, path: '/messages', method: 'POST', agent,
                                  headers: {'D360-API-KEY': key,
                                            'Content-Length': Buffer.byteLength(body)}}, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve()
                                                  : reject(new Error(`POST /messages: ${res.statusCode}`))));
    });
    request.on('error', reject);
    request.end(body);
  });
  let submitted = 0;
  const stream = async () => {
    while (submitted < count) {
      submitted += 3;
      await send();
    }
  };
  try {
    await Promise.all(Array.from({length: streams}, stream));
  } finally {
    agent.destroy();
  }
  return submitted;
}

// Time from starting a navigation to the page's load event, in ms.
async function loadMs(page, url) {
  const start = now();
  await page.goto(url, {waitUntil: 'load'});
  return now() - start;
}

// Loads `url`; its time to the load event (ms) and the bytes it transferred (the long-poll aside).
async function loadOf(page, url) {
  let bytes = 0;
  const pending = [];
  const count = (r) => {
    if (r.url().includes('/mock/ui/events')) return;
    pending.push(r.sizes().then((z) => { bytes += z.responseHeadersSize + z.responseBodySize; }));
  };
  page.on('requestfinished', count);
  const ms = await loadMs(page, url);
  page.off('requestfinished', count);
  await Promise.all(pending);
  return {ms, bytes};
}

// Tabs through the page; every visible control must receive the focus.
async function keyboardReachesEverything(page) {
  const names = await page.evaluate(() => {
    // checkVisibility: a closed <details> hides its content with content-visibility, which
    // offsetParent does not see.
    const controls = [...document.querySelectorAll('a[href], button, input, select, summary')]
                         .filter((e) => e.checkVisibility());
    controls.forEach((e, i) => { e.dataset.kb = String(i); });
    document.activeElement?.blur();
    return controls.map((e) => `${e.tagName.toLowerCase()} "${e.textContent.trim().slice(0, 30)}"`);
  });
  const total = names.length;
  const reached = new Set();
  // Scrollable boxes (a long body, a wide table) are tab stops too: allow for them.
  for (let i = 0; i < 3 * total && reached.size < total; ++i) {
    await page.keyboard.press('Tab');
    const kb = await page.evaluate(() => document.activeElement?.dataset?.kb);
    if (kb !== undefined) reached.add(kb);
  }
  return {total, reached: reached.size,
          missed: names.filter((_, i) => !reached.has(String(i))).join(', ')};
}

const main = await startReceiver('main', [500, 200], 0);
const crm = await startReceiver('crm', [200], 20);
let mock;
let browser;
const consoleErrors = [];
try {
  mock = await startMock([`main.example.com=${main.url}`, `crm.example.com=${crm.url}`,
                          `backup.example.com=${crm.url}`]);
  const {base} = mock;
  const key = 'ui-key';
  await api(base, 'POST', '/v1/configs/webhook', {url: 'https://main.example.com/wa'}, key);
  await api(base, 'POST', '/multi_webhook', {enabled: true, destinations: [
    {name: 'crm', url: 'https://crm.example.com/wa'}]}, key);
  await api(base, 'POST', '/mock/flush');

  browser = await chromium.launch({executablePath: chromiumPath, args: ['--no-sandbox']});
  const context = await browser.newContext({viewport: {width: 900, height: 1000},
                                             permissions: ['clipboard-read', 'clipboard-write']});
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  let transfer = 0;
  let loading = true;
  const eventsRequests = [];
  page.on('request', (r) => { if (r.url().includes('/mock/ui/events')) eventsRequests.push(now()); });
  page.on('requestfinished', async (r) => {
    if (!loading || r.url().includes('/mock/ui/events')) return;
    const sizes = await r.sizes();
    transfer += sizes.responseHeadersSize + sizes.responseBodySize;
  });
  await page.goto(base + '/mock/ui', {waitUntil: 'load'});
  await page.waitForFunction(() => document.getElementById('live').textContent.startsWith('Live'));
  loading = false;
  await page.evaluate(watchEvents);

  // 1. main answers 500: the event appears without a reload, its gate held.
  const first = (await api(base, 'POST', '/mock/inbound',
                           {message: {type: 'text', text: {body: 'first'}}}, key)).event_id;
  const held = await shown(page, first, 1);
  const latencies = [held.at - main.finished[0].at];
  check(/held: main answered 500; retry at/.test(held.gate), `held gate shown: "${held.gate}"`);

  // 2. The retry gets 200: the gate opens and crm gets its copy, still without a reload.
  await page.waitForFunction((id) => /gate opened by main's 200/.test(
      document.querySelector(`[data-event="${id}"] .gate`)?.textContent), first, {timeout: 8000});
  latencies.push((await shown(page, first, 2)).at - main.finished[1].at);
  latencies.push((await shown(page, first, 3)).at - crm.finished[0].at);
  check(true, 'the gate opened after the retry, shown without a reload');
  const rows = await attemptsShown(page, first);
  check(JSON.stringify(rows.map((r) => [r.order, r.destination, r.result, r.attempt])) ===
            JSON.stringify([['1', 'main', '500', '1'], ['2', 'main', '200', '2'],
                            ['3', 'crm', '200', '1']]),
        `attempts in order: ${rows.map((r) => `${r.destination} ${r.result}`).join(', ')}`);
  check(rows.every((r) => r.us > 0 && /\d (µs|ms|s)$/.test(r.latency)),
        `attempts show latencies: ${rows.map((r) => r.latency).join(', ')}`);
  check(rows[2].us >= 20000, 'crm latency includes its 20 ms answer delay');

  // The delivered request, as main got it: type, signature header, pretty-printed body, copyable.
  const delivered = await deliveredShown(page, first);
  const got = main.received[0];
  check(delivered.type === 'text', `the event's type is shown: "${delivered.type}"`);
  check(/^[0-9a-f]{64}$/.test(got.signature) &&
            delivered.signature === `x-360dialog-signature: ${got.signature}`,
        `the signature header shown is the one main got: "${delivered.signature}"`);
  check(sameJson(delivered.body ?? '', got.body) && delivered.body.includes('\n  "object": ') &&
            delivered.body.includes('"body": "first"'),
        'the body shown is the delivered body, pretty-printed');
  check(main.received.every((r) => r.body === got.body) &&
            crm.received[0].body === got.body,
        'main (both tries) and crm got those same bytes');
  await page.locator(`[data-event="${first}"] button.copy`).click();
  await page.waitForFunction(() => /^Copied/.test(document.getElementById('action-result').value),
                             null, {timeout: 5000});
  check((await page.evaluate(() => navigator.clipboard.readText())) === delivered.body,
        'Copy body puts the body shown on the clipboard');

  // 3. A second event goes straight through; filters narrow the list and survive a reload.
  const second = (await api(base, 'POST', '/mock/inbound',
                            {message: {type: 'image'}}, key)).event_id;
  latencies.push((await shown(page, second, 2)).at - crm.finished[1].at);
  check((await deliveredShown(page, second)).type === 'image', 'the second event shows type image');
  const quietFrom = now();
  await page.waitForFunction(() => true, null, {timeout: 100});
  await page.screenshot({path: screenshotPath, fullPage: true});
  const kb = await keyboardReachesEverything(page);
  check(kb.reached === kb.total, `keyboard reaches ${kb.reached} of ${kb.total} controls` +
                                     (kb.missed ? ` (missed: ${kb.missed})` : ''));
  const polls = eventsRequests.filter((t) => t >= quietFrom).length;

  // The configuration changes outside the page: the channel panel follows without a reload,
  // first with the pending change and its due time, then with the change applied.
  await api(base, 'PATCH', '/mock/options', {apply_delay: '1s'});
  const putAt = now();
  await api(base, 'PUT', '/multi_webhook',
            {destinations: [{name: 'backup', url: 'https://backup.example.com/wa'}]}, key);
  await page.waitForFunction(() => /PUT \/multi_webhook due \d\d:\d\d/.test(
      document.getElementById('channels').textContent), null, {timeout: 5000}).catch(() => {
    throw new Error('the channel panel did not show the pending PUT within 5 s');
  });
  const pendingMs = now() - putAt;
  await page.waitForFunction(() => {
    const channels = document.getElementById('channels');
    return /backup/.test(channels.querySelector('.destinations')?.textContent ?? '') &&
           /Pending changes: none/.test(channels.textContent);
  }, null, {timeout: 5000}).catch(() => {
    throw new Error('the channel panel did not show the applied PUT within 5 s');
  });
  const appliedMs = now() - putAt;
  check(!timed || pendingMs < 1000,
        `the channel panel shows the pending PUT and its due time ${pendingMs.toFixed(0)} ms after ` +
        'it was accepted');
  check(appliedMs >= 1000, `and shows it applied after its 1 s apply delay (${appliedMs.toFixed(0)} ms)`);

  await page.selectOption('select[name=status]', '5xx');
  await Promise.all([page.waitForNavigation(), page.click('#filters button[type=submit]')]);
  const shownIds = () => page.locator('#events > li').evaluateAll((l) => l.map((e) => e.dataset.event));
  check(new URL(page.url()).searchParams.get('status') === '5xx', 'the filter is in the URL');
  check(JSON.stringify(await shownIds()) === JSON.stringify([first]), 'status 5xx shows only the held event');
  await page.reload();
  check(JSON.stringify(await shownIds()) === JSON.stringify([first]) &&
            (await page.inputValue('select[name=status]')) === '5xx',
        'the filter survives a reload');
  await page.goto(`${base}/mock/ui?event=${second.slice(4, 12)}`);
  check(JSON.stringify(await shownIds()) === JSON.stringify([second]), 'event id search');
  await page.goto(`${base}/mock/ui?destination=crm&status=2xx`);
  check((await shownIds()).length === 2, 'destination filter: both events reached crm');

  // 4. 25,000 events in the journal (bulk-key's statuses, undeliverable: it has no main webhook):
  // the page still loads fast and light, pages back, and shows a new attempt live.
  const filling = now();
  const bulk = await fillJournal(base, 'bulk-key', 25000, 8);
  await api(base, 'GET', `/mock/deliveries?destination=main&min_count=${bulk + 3}&timeout_ms=30000`);
  const full = await loadOf(page, base + '/mock/ui');
  const items = await page.locator('#events > li').count();
  check(items === 30 && (await page.locator('#events .type').first().textContent()).startsWith('status:'),
        `with ${bulk} more events the page shows the newest ${items}, with their types`);
  console.log(`     filled in ${(now() - filling).toFixed(0)} ms; with 25,000 events the page ` +
              `loads in ${full.ms.toFixed(0)} ms (its first byte is gated below)`);
  check(full.bytes < 100 * 1024, `with 25,000 events (30 shown, bodies kept) the page transfers ` +
                                 `${full.bytes} bytes`);
  const older = await page.locator('a', {hasText: 'Older events'}).getAttribute('href');
  const olderLoad = await loadOf(page, base + older);
  check((await page.locator('#events > li').count()) === 30,
        `the next older page shows 30 events (loaded in ${olderLoad.ms.toFixed(0)} ms)`);
  await page.goto(base + '/mock/ui');
  await page.waitForFunction(() => document.getElementById('live').textContent.startsWith('Live'));
  await page.evaluate(watchEvents);
  const third = (await api(base, 'POST', '/mock/inbound',
                           {message: {type: 'location', location: {latitude: 1, longitude: 2}}},
                           key)).event_id;
  const bigLatency = (await shown(page, third, 1)).at - main.finished.at(-1).at;
  latencies.push(bigLatency);
  check(!timed || bigLatency < 250,
        `with 25,000 events a new attempt is shown ${bigLatency.toFixed(1)} ms after its answer`);

  // 5. Readable at 320 px: nothing wider than the screen but the scrolling tables.
  await page.setViewportSize({width: 320, height: 800});
  await page.goto(base + '/mock/ui');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  check(width <= 320, `at 320 px the page is ${width} px wide`);
  check(consoleErrors.length === 0, `no console errors${consoleErrors.length ? ': ' + consoleErrors.join('; ') : ''}`);

  // With the 25,000 events in the journal. The figure (target: under 5 ms) is printed for the
  // record; the gate only catches a page that renders the whole journal (hundreds of ms), against
  // GET /mock/health (no work at all) measured alongside, so a busy machine does not fail it.
  const [ui, health] = await firstByteMs([base + '/mock/ui', base + '/mock/health'], 30);
  check(!timed || ui.p50 < Math.max(25, 10 * health.p50),
        `GET /mock/ui first byte p50 ${ui.p50.toFixed(2)} ms, max ${ui.max.toFixed(2)} ms ` +
        `(30 new connections; GET /mock/health p50 ${health.p50.toFixed(2)} ms)`);

  // 6. The mock goes away: the page says so.
  mock.child.kill('SIGTERM');
  await page.waitForSelector('#live.unreachable', {timeout: 10000});
  check(true, 'an unreachable mock is shown');

  // The median is gated; the maximum is reported (a shared, loaded machine stalls any process).
  const sorted = latencies.slice().sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  check(!timed || median < 250, `update latency (answer sent -> shown) median ` +
                                `${median.toFixed(1)} ms, max ${sorted.at(-1).toFixed(1)} ms`);
  check(transfer < 100 * 1024, `page transfer ${transfer} bytes`);
  check(polls <= 3, `${polls} long-poll requests while idle for the screenshot and keyboard walk`);
  console.log(`figures: update latency ms ${latencies.map((l) => l.toFixed(1)).join(' ')}; ` +
              `transfer ${transfer} B; channel panel: pending shown ${pendingMs.toFixed(0)} ms, ` +
              `applied shown ${appliedMs.toFixed(0)} ms after the PUT; 25,000 events: load ` +
              `${full.ms.toFixed(0)} ms, ${full.bytes} B, older page ${olderLoad.ms.toFixed(0)} ms`);
} finally {
  await browser?.close();
  if (mock && mock.child.exitCode === null && mock.child.signalCode === null) {
    const exited = new Promise((resolve) => mock.child.once('exit', resolve));
    mock.child.kill('SIGTERM');
    await exited;
  }
  main.server.close();
  crm.server.close();
}
console.log(`${failures.length ? 'FAILED' : 'PASSED'}: ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
