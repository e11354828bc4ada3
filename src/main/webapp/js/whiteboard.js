import { connect } from './duplex.js';
import { showStatus, showErrors, param, pageToken } from './page.js';

const board = param('board', 'default') || 'default';
document.getElementById('board-name').textContent = board;
const socket = connect('/whiteboard', { params: { board }, token: pageToken() });
showStatus(socket);
const showError = showErrors(socket);

const canvas = document.getElementById('canvas');
const context = canvas.getContext('2d');
context.lineCap = 'round';
/** Every segment on the board, in drawing order, as the server stores them. */
let history = [];

function paint(segment) {
  context.strokeStyle = segment.color;
  context.lineWidth = segment.width;
  context.beginPath();
  context.moveTo(segment.prevX, segment.prevY);
  context.lineTo(segment.x, segment.y);
  context.stroke();
}

function repaint() {
  context.clearRect(0, 0, canvas.width, canvas.height);
  history.forEach(paint);
}

// The server sends the whole board on every (re)connect, and on request-drawings.
socket.on('load-drawings', (segments) => {
  history = segments;
  repaint();
});

socket.on('draw', (segment) => {
  history.push(segment);
  paint(segment);
});

// The same rule as the server: a user's last stroke, or its last segment when it has no stroke id.
socket.on('undo', ({ userId, strokeId }) => {
  if (strokeId !== null) {
    history = history.filter((s) => !(s.userId === userId && s.strokeId === strokeId));
  } else {
    const last = history.findLastIndex((s) => s.userId === userId);
    if (last >= 0) history.splice(last, 1);
  }
  repaint();
});

socket.on('clear-canvas', () => {
  history = [];
  repaint();
});

// ---- drawing with mouse, pen or touch -------------------------------------------------------------

let stroke = null;

function point(event) {
  const box = canvas.getBoundingClientRect();
  const clamp = (value, max) => Math.min(max, Math.max(0, value));
  return {
    x: clamp(((event.clientX - box.left) / box.width) * canvas.width, canvas.width),
    y: clamp(((event.clientY - box.top) / box.height) * canvas.height, canvas.height),
  };
}

canvas.addEventListener('pointerdown', (event) => {
  canvas.setPointerCapture(event.pointerId);
  stroke = { id: crypto.randomUUID().slice(0, 18), last: point(event) };
});

canvas.addEventListener('pointermove', (event) => {
  if (!stroke) return;
  const next = point(event);
  const segment = {
    prevX: Math.round(stroke.last.x), prevY: Math.round(stroke.last.y),
    x: Math.round(next.x), y: Math.round(next.y),
    color: document.getElementById('color').value,
    width: Number(document.getElementById('width').value),
    strokeId: stroke.id,
  };
  stroke.last = next;
  socket.emit('draw', segment, (error) => error && showError(error));
  const mine = { ...segment, userId: socket.id };
  history.push(mine);
  paint(mine);
});

for (const type of ['pointerup', 'pointercancel', 'pointerleave']) {
  canvas.addEventListener(type, () => { stroke = null; });
}

document.getElementById('undo').addEventListener('click', () => socket.emit('undo', undefined, (error) => error && showError(error)));
document.getElementById('clear').addEventListener('click', () => socket.emit('clear-canvas', undefined, (error) => error && showError(error)));
document.getElementById('board-form').addEventListener('submit', (event) => {
  event.preventDefault();
  location.search = new URLSearchParams({ board: document.getElementById('board').value }).toString();
});
