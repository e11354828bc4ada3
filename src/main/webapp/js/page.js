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
