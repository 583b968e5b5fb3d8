// The simulated workspace's page: plain DOM and Server-Sent Events, no build step. Every message arrives rendered
// (and escaped) by the server (test/sim/slack/web/render-message.ts); this script only places it, sends commands,
// messages and clicks, and shows confirm dialogs. Its own strings go in through textContent.

const params = new URLSearchParams(location.search);
const view = {
  user: params.get('user') || 'U0ALICE01',
  channel: params.get('channel') || '',
  thread: params.get('thread') || '',
  tz: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
};
const $ = (id) => document.getElementById(id);
/** The HTML each message slot was last given, kept out of the DOM. */
const shown = new WeakMap();
let loading = false;
let again = false;

function remember() {
  const q = new URLSearchParams({ user: view.user, channel: view.channel });
  if (view.thread) q.set('thread', view.thread);
  history.replaceState(null, '', `/?${q}`);
}

function nearBottom(el) {
  return el.scrollHeight - el.scrollTop - el.clientHeight < 60;
}

/** Replaces only the messages whose HTML changed, so buttons keep focus and the page does not flicker. */
function patch(container, items) {
  const stick = nearBottom(container);
  const existing = new Map([...container.children].map((el) => [el.dataset.key, el]));
  let previous = null;
  for (const { key, html } of items) {
    let el = existing.get(key);
    if (!el) {
      el = document.createElement('div');
      el.className = 'msg-slot';
      el.dataset.key = key;
    }
    if (shown.get(el) !== html) {
      el.innerHTML = html;
      shown.set(el, html);
    }
    existing.delete(key);
    const next = previous ? previous.nextSibling : container.firstChild;
    if (next !== el) container.insertBefore(el, next);
    previous = el;
  }
  for (const el of existing.values()) el.remove();
  if (stick) container.scrollTop = container.scrollHeight;
}

function drawSidebar(data) {
  const users = $('user');
  if (users.options.length !== data.people.length) {
    users.replaceChildren(
      ...data.people.map((p) => {
        const o = document.createElement('option');
        o.value = p.id;
        o.textContent = p.name;
        return o;
      }),
    );
  }
  users.value = data.me;
  $('channels').replaceChildren(
    ...data.channels.map((c) => {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'channel-item';
      b.dataset.channel = c.id;
      if (data.channel && c.id === data.channel.id) b.classList.add('active');
      if (c.unread) b.classList.add('unread');
      b.textContent = `${c.kind === 'im' ? '@' : c.kind === 'private' ? '🔒' : '#'} ${c.name}`;
      if (c.mentions > 0) {
        const badge = document.createElement('span');
        badge.className = 'badge';
        badge.textContent = String(c.mentions);
        b.append(badge);
      }
      li.append(b);
      return li;
    }),
  );
}

async function refresh() {
  if (loading) {
    again = true;
    return;
  }
  loading = true;
  try {
    const q = new URLSearchParams({ user: view.user, channel: view.channel, tz: view.tz });
    if (view.thread) q.set('thread', view.thread);
    const res = await fetch(`/client/view?${q}`);
    const data = await res.json();
    if (!res.ok) throw new Error(data.error || res.statusText);
    view.channel = data.channel ? data.channel.id : '';
    drawSidebar(data);
    const prefix = data.channel
      ? data.channel.kind === 'private'
        ? '🔒 '
        : data.channel.kind === 'im'
          ? '@'
          : '#'
      : '';
    $('channel-name').textContent = data.channel ? prefix + data.channel.name : 'No channel';
    $('composer-input').placeholder = data.channel
      ? `Message ${prefix}${data.channel.name}, or ${data.command} …`
      : 'Message';
    patch($('messages'), data.messages);
    const pane = $('thread-pane');
    pane.hidden = !data.thread;
    if (data.thread) patch($('thread-messages'), data.thread.messages);
    document.body.dataset.seq = String(data.seq);
    remember();
  } catch (err) {
    notify(String(err.message || err));
  } finally {
    loading = false;
    if (again) {
      again = false;
      void refresh();
    }
  }
}

function notify(text) {
  const el = $('notice');
  el.textContent = text;
  el.hidden = !text;
}

async function send(path, body) {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: view.user, channel: view.channel, ...body }),
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.error || res.statusText);
  return data;
}

/** Shows a Block Kit confirm dialog (plain text only); resolves true when the person confirms. */
function confirmWith(dialog) {
  const el = $('confirm');
  $('confirm-title').textContent = dialog.title;
  $('confirm-text').textContent = dialog.text;
  $('confirm-ok').textContent = dialog.confirm;
  $('confirm-ok').className = dialog.style === 'danger' ? 'bk-button-danger' : 'bk-button-primary';
  $('confirm-deny').textContent = dialog.deny;
  return new Promise((resolve) => {
    el.addEventListener('close', () => resolve(el.returnValue === 'ok'), { once: true });
    el.returnValue = '';
    el.showModal();
  });
}

async function clickButton(button) {
  const msg = button.closest('.msg');
  if (!msg) return;
  if (button.dataset.confirm && !(await confirmWith(JSON.parse(button.dataset.confirm)))) return;
  if (button.dataset.url) window.open(button.dataset.url, '_blank', 'noopener');
  button.classList.add('pending');
  try {
    const answer = await send('/client/click', {
      channel: msg.dataset.channel,
      ts: msg.dataset.ts,
      ephemeral: msg.dataset.ephemeral === 'true',
      actionId: button.dataset.actionId,
      blockId: button.dataset.blockId,
    });
    notify(answer.timedOut ? 'The app did not respond in time.' : '');
  } catch (err) {
    notify(String(err.message || err));
  } finally {
    button.classList.remove('pending');
  }
}

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return;
  const button = target.closest('.bk-button');
  if (button) {
    void clickButton(button);
    return;
  }
  const threadLink = target.closest('.thread-link');
  if (threadLink) {
    view.thread = threadLink.dataset.thread;
    void refresh();
    return;
  }
  const channel = target.closest('.channel-item');
  if (channel) {
    view.channel = channel.dataset.channel;
    view.thread = '';
    notify('');
    void refresh();
  }
});

$('thread-close').addEventListener('click', () => {
  view.thread = '';
  void refresh();
});

$('user').addEventListener('change', (event) => {
  view.user = event.target.value;
  void refresh();
});

$('composer').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = $('composer-input');
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  try {
    const answer = text.startsWith('/') ? await send('/client/command', { text }) : await send('/client/say', { text });
    notify(answer.timedOut ? 'The app did not respond in time.' : '');
  } catch (err) {
    input.value = text;
    notify(String(err.message || err));
  }
});

$('thread-composer').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = $('thread-input');
  const text = input.value.trim();
  if (!text || !view.thread) return;
  input.value = '';
  try {
    await send('/client/say', { text, threadTs: view.thread });
    notify('');
  } catch (err) {
    input.value = text;
    notify(String(err.message || err));
  }
});

const events = new EventSource('/client/events');
events.onmessage = () => void refresh();
void refresh();
