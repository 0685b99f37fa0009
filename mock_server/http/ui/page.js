// The delivery view's live updates and actions. Without this script the page is the same,
// server-rendered once; with it, a long-poll on /mock/ui/events (one request open at a time,
// answered as soon as an attempt finishes or the channels' configuration changes) inserts the
// changed events at the top and redraws the channels.
'use strict';
(() => {
  const list = document.getElementById('events');
  const live = document.getElementById('live');
  const filters = new URLSearchParams(location.search);
  filters.delete('before');
  const channels = document.getElementById('channels');
  let after = Number(list.dataset.lastSeq);
  let failures = 0;

  function setLive(text, unreachable) {
    live.textContent = text;
    live.classList.toggle('unreachable', unreachable);
  }

  function fragment(html) {
    const template = document.createElement('template');
    template.innerHTML = html;
    return template.content.firstElementChild;
  }

  function apply(data) {
    // Oldest first, each one to the top: the newest ends first.
    for (const event of data.events.slice().reverse()) {
      const node = fragment(event.html);
      const old = document.getElementById(node.id);
      if (old) {
        const details = old.querySelector('details');
        if (details && details.open) node.querySelector('details').open = true;
        old.remove();
      }
      node.classList.add('fresh');
      list.prepend(node);
    }
    while (list.children.length > 200) list.lastElementChild.remove();
    document.getElementById('events-empty').hidden = list.children.length > 0;
    document.getElementById('stats').innerHTML = data.stats_html;
    if (data.channels_tag !== channels.dataset.tag) {
      channels.innerHTML = data.channels_html;
      channels.dataset.tag = data.channels_tag;
    }
    for (const button of list.querySelectorAll('button.copy[hidden]')) button.hidden = false;
    after = data.last_seq;
  }

  async function poll() {
    const query = new URLSearchParams(filters);
    query.set('after_seq', String(after));
    query.set('timeout_ms', '25000');
    query.set('channels_tag', channels.dataset.tag);
    try {
      const response = await fetch('/mock/ui/events?' + query, {cache: 'no-store'});
      if (!response.ok) throw new Error('HTTP ' + response.status);
      apply(await response.json());
      failures = 0;
      setLive('Live: new attempts appear here as they finish.', false);
      setTimeout(poll, 0);
    } catch (error) {
      failures += 1;
      const wait = Math.min(5000, 250 * 2 ** failures);
      setLive('The mock is unreachable (' + error.message + '); trying again in ' +
              Math.round(wait / 1000) + ' s. What is shown may be out of date.', true);
      setTimeout(poll, wait);
    }
  }

  const samples = {
    'text': {message: {type: 'text', text: {body: 'Hello from the delivery view'}}},
    'image': {message: {type: 'image'}},
    'location': {message: {type: 'location', location: {latitude: 52.52, longitude: 13.405}}},
    'status:delivered': {status: {id: 'wamid.delivery-view', status: 'delivered'}},
    'error': {error: {code: 130429}},
  };
  const result = document.getElementById('action-result');

  async function call(method, path, body, headers) {
    try {
      const response = await fetch(path, {method, headers, body: body && JSON.stringify(body)});
      const text = await response.text();
      result.value = method + ' ' + path + ': ' + response.status + ' ' + text.slice(0, 200);
      return response.ok;
    } catch (error) {
      result.value = method + ' ' + path + ' failed: ' + error.message;
      return false;
    }
  }

  // Copies an event's delivered body as shown (pretty-printed).
  async function copyBody(button) {
    const text = document.getElementById(button.dataset.copy).textContent;
    try {
      await navigator.clipboard.writeText(text);
      result.value = 'Copied the body of ' + button.closest('.event').dataset.event + '.';
    } catch (error) {
      // No clipboard permission: select the text, so that Ctrl+C copies it.
      getSelection().selectAllChildren(document.getElementById(button.dataset.copy));
      result.value = 'The clipboard is not available (' + error.message +
                     '); the body is selected: press Ctrl+C.';
    }
  }

  function wireActions() {
    document.getElementById('actions').hidden = false;
    for (const button of list.querySelectorAll('button.copy')) button.hidden = false;
    list.addEventListener('click', (e) => {
      if (e.target.matches('button.copy')) copyBody(e.target);
    });
    document.getElementById('send').addEventListener('submit', (e) => {
      e.preventDefault();
      const form = e.target;
      call('POST', '/mock/inbound', samples[form.type.value], {'D360-API-KEY': form.key.value});
    });
    document.getElementById('advance').addEventListener('submit', (e) => {
      e.preventDefault();
      call('POST', '/mock/clock/advance', {ms: Number(e.target.ms.value)});
    });
    document.getElementById('flush').addEventListener('click', () => call('POST', '/mock/flush'));
    document.getElementById('reset').addEventListener('click', async () => {
      if (!confirm('Reset the mock? Every event, delivery, statistic and runtime change is lost.')) {
        return;
      }
      if (await call('POST', '/mock/reset')) location.reload();
    });
  }

  wireActions();
  if (list.dataset.live === '1') {
    setLive('Live: new attempts appear here as they finish.', false);
    poll();
  }
})();
