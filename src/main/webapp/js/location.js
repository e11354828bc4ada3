import { connect } from './duplex.js';
import { el, showStatus, showErrors, param, pageToken } from './page.js';

const room = param('room', 'default') || 'default';
document.getElementById('group-name').textContent = room;
const socket = connect('/location', { params: { room }, token: pageToken() });
showStatus(socket);
const showError = showErrors(socket);
const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';

let lastSent = null; // re-sent after a reconnect, so the group sees us again

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Equirectangular: the whole world on a 720 x 360 plane, no tiles from anywhere. */
const project = (lat, lng) => ({ x: (lng + 180) * 2, y: (90 - lat) * 2 });

function drawGrid(map) {
  for (let lng = -180; lng <= 180; lng += 30) map.append(svg('line', { class: 'grid-line', x1: (lng + 180) * 2, y1: 0, x2: (lng + 180) * 2, y2: 360 }));
  for (let lat = -90; lat <= 90; lat += 30) map.append(svg('line', { class: 'grid-line', x1: 0, y1: (90 - lat) * 2, x2: 720, y2: (90 - lat) * 2 }));
}

function colour(id) {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `hsl(${hash % 360}, 70%, 45%)`;
}

socket.on('locations-updated', (entries) => {
  const map = $('map');
  map.replaceChildren();
  drawGrid(map);
  const rows = [];
  for (const entry of entries) {
    const { x, y } = project(entry.lat, entry.lng);
    const mine = entry.id === socket.id;
    const dot = svg('circle', { class: 'dot', cx: x, cy: y, r: mine ? 7 : 5, fill: colour(entry.id), 'data-id': entry.id });
    dot.append(svg('title', {}, entry.username));
    map.append(dot, svg('text', { class: 'label', x: x + 8, y: y + 3 }, entry.username));
    rows.push(el('tr', {},
      el('td', { text: mine ? `${entry.username} (you)` : entry.username }),
      el('td', { text: `${entry.lat.toFixed(4)}, ${entry.lng.toFixed(4)}` }),
      el('td', { text: new Date(entry.timestamp).toLocaleTimeString() })));
  }
  $('people').replaceChildren(...rows);
});

function send(lat, lng) {
  const username = $('name').value.trim();
  if (!username) {
    $('name').reportValidity();
    return;
  }
  lastSent = { lat, lng, username };
  socket.emit('update-location', lastSent, (error) => error && showError(error));
}

$('share-form').addEventListener('submit', (event) => {
  event.preventDefault();
  send(Number($('lat').value), Number($('lng').value));
});

$('geo').addEventListener('click', () => {
  if (!navigator.geolocation) {
    showError({ code: 'UNAVAILABLE', message: 'This browser has no geolocation: enter a position instead.' });
    return;
  }
  navigator.geolocation.watchPosition(
    (position) => send(position.coords.latitude, position.coords.longitude),
    (error) => showError({ code: 'GEOLOCATION', message: `${error.message}: enter a position instead.` }),
    { enableHighAccuracy: true });
});

socket.on('connect', () => {
  if (lastSent) socket.emit('update-location', lastSent);
});
drawGrid($('map'));
