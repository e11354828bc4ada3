// Shared helpers for the Duplex pages. User text only ever goes into textContent, never innerHTML.

/** Creates an element with text content and attributes. */
export function el(tag, { text, className, attrs } = {}, ...children) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

/** Shows a socket's connection state in the header's status element. */
export function showStatus(socket, element = document.getElementById('status')) {
  const labels = { connecting: 'Connecting…', open: 'Connected', closed: 'Offline' };
  const render = (state) => {
    element.dataset.state = state;
    element.textContent = labels[state] || state;
  };
  render(socket.state);
  socket.on('state', render);
  socket.on('reconnecting', ({ delay }) => {
    element.textContent = `Offline, retrying in ${Math.ceil(delay / 1000)} s`;
  });
}

/** Shows the server's error events (and failed acks passed in) under the form. */
export function showErrors(socket, element = document.getElementById('errors')) {
  const show = (error) => {
    element.textContent = error ? `${error.code}: ${error.message}` : '';
    clearTimeout(show.timer);
    show.timer = setTimeout(() => { element.textContent = ''; }, 5000);
  };
  socket.on('error', show);
  return show;
}

/** hh:mm from epoch milliseconds. */
export function clock(timestamp) {
  return new Date(timestamp).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** The page's query parameter, or a fallback. */
export function param(name, fallback = '') {
  return new URLSearchParams(location.search).get(name) ?? fallback;
}

/**
 * The page's JWT, given as #token=... (a fragment never reaches a server or its access log): kept for the
 * tab's session and taken out of the address bar at once, so it is neither bookmarked nor shared. A
 * ?token=... query still works, for old links, but is moved out of the address bar the same way.
 */
export function pageToken() {
  const url = new URL(location.href);
  const fromFragment = new URLSearchParams(url.hash.slice(1)).get('token');
  const fromQuery = url.searchParams.get('token');
  const token = fromFragment || fromQuery;
  if (token) {
    sessionStorage.setItem('duplex.token', token);
    url.hash = '';
    url.searchParams.delete('token');
    history.replaceState(null, '', url.pathname + url.search);
  }
  return sessionStorage.getItem('duplex.token') || undefined;
}
