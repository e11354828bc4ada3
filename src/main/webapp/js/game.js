import { connect } from './duplex.js';
import { el, showStatus, showErrors, pageToken } from './page.js';

const socket = connect('/game', { token: pageToken() });
showStatus(socket);
const showError = showErrors(socket);
const $ = (id) => document.getElementById(id);

let game = null; // {roomId, mySymbol, turn, board, over}

const cells = [];
for (let i = 0; i < 9; i++) {
  const cell = el('button', { attrs: { type: 'button', 'aria-label': `cell ${i}`, 'data-cell': String(i) } });
  cell.addEventListener('click', () => move(i));
  cells.push(cell);
  $('board').append(cell);
}

function banner(text) {
  $('banner').textContent = text;
}

function render() {
  const board = game?.board || Array(9).fill(null);
  board.forEach((symbol, i) => {
    cells[i].textContent = symbol || '';
    cells[i].disabled = !game || game.over || symbol !== null || game.turn !== game.mySymbol;
  });
  $('leave').classList.toggle('hidden', !game || game.over);
  $('find').disabled = Boolean(game && !game.over);
  if (game && !game.over) banner(game.turn === game.mySymbol ? `Your turn (${game.mySymbol})` : `Waiting for the other player…`);
}

$('find-form').addEventListener('submit', (event) => {
  event.preventDefault();
  cells.forEach((cell) => cell.classList.remove('win'));
  socket.emit('find-game', $('name').value.trim(), (error) => error && showError(error));
});

$('leave').addEventListener('click', () => {
  if (!game) return;
  socket.emit('leave-game', game.roomId);
  game.over = true;
  banner('You left the game.');
  render();
});

function move(position) {
  if (!game) return;
  socket.emit('make-move', { roomId: game.roomId, position }, (error) => error && showError(error));
}

socket.on('waiting-for-opponent', ({ roomId }) => {
  game = { roomId, mySymbol: 'X', turn: null, board: Array(9).fill(null), over: false };
  render();
  banner('Waiting for an opponent…');
  $('players').textContent = '';
});

socket.on('game-start', ({ roomId, players, turn, board }) => {
  const me = players.find((p) => p.id === socket.id);
  game = { roomId, mySymbol: me.symbol, turn, board, over: false };
  $('players').textContent = players.map((p) => `${p.username} (${p.symbol})`).join(' vs ');
  render();
});

socket.on('move-made', ({ turn, board }) => {
  Object.assign(game, { turn, board });
  render();
});

socket.on('game-over', ({ winner, winnerSymbol, line, board }) => {
  Object.assign(game, { board, over: true });
  render();
  (line || []).forEach((i) => cells[i].classList.add('win'));
  if (!winnerSymbol) banner('A draw. Find another game?');
  else banner(winnerSymbol === game.mySymbol ? 'You won! Play again?' : `${winner} won. Play again?`);
});

socket.on('opponent-disconnected', () => {
  if (game) game.over = true;
  render();
  banner('Your opponent left. Find another game?');
});

// The server ends a game when its connection drops; after a reconnect the player starts afresh.
socket.on('disconnect', () => {
  if (game && !game.over) {
    game.over = true;
    render();
    banner('Connection lost: the game ended. Find another game once reconnected.');
  }
});

render();
