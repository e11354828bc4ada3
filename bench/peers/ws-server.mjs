// Peer: a plain Node `ws` server speaking the Duplex /chat subset the benchmark uses
// (user-joined, send-message, join-room, room-message), frames built once per broadcast.
import { WebSocketServer } from 'ws';
import { randomBytes } from 'node:crypto';

const port = Number(process.argv[2] || 8081);
const server = new WebSocketServer({ host: '127.0.0.1', port, path: '/chat', perMessageDeflate: false, maxPayload: 65536 });
const joined = new Set();
const rooms = new Map();
let counter = 0;

function broadcast(targets, frame) {
  for (const socket of targets) if (socket.readyState === 1) socket.send(frame);
}

server.on('connection', (socket) => {
  socket.id = randomBytes(16).toString('base64url');
  socket.rooms = new Set();
  socket.send(JSON.stringify({ event: 'connected', data: { id: socket.id, namespace: '/chat' } }));
  socket.on('message', (raw) => {
    let frame;
    try { frame = JSON.parse(raw); } catch { return; }
    const now = Date.now();
    if (frame.event === 'user-joined') {
      socket.username = String(frame.data).trim();
      joined.add(socket);
      broadcast(joined, JSON.stringify({ event: 'user-connected', data: { username: socket.username, userId: socket.id, timestamp: now, totalUsers: joined.size } }));
    } else if (frame.event === 'send-message') {
      const data = { id: (counter++).toString(36), username: socket.username, message: String(frame.data).trim(), timestamp: now, userId: socket.id };
      broadcast(joined, JSON.stringify({ event: 'receive-message', data }));
    } else if (frame.event === 'join-room') {
      const room = String(frame.data);
      if (!rooms.has(room)) rooms.set(room, new Set());
      rooms.get(room).add(socket);
      socket.rooms.add(room);
      socket.send(JSON.stringify({ event: 'joined-room', data: { roomId: room, members: [] } }));
    } else if (frame.event === 'room-message') {
      const members = rooms.get(frame.data.roomId);
      if (!members || !members.has(socket)) return;
      const data = { roomId: frame.data.roomId, id: (counter++).toString(36), message: String(frame.data.message).trim(), from: socket.username, fromUserId: socket.id, timestamp: now };
      broadcast(members, JSON.stringify({ event: 'room-message', data }));
    }
  });
  socket.on('close', () => {
    joined.delete(socket);
    for (const room of socket.rooms) rooms.get(room)?.delete(socket);
  });
});
server.on('listening', () => console.log(`ws peer listening on ${port}`));
