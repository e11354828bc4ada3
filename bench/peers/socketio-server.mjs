// Peer: the Socket.IO tutorial's chat server, as tutorials write it, plus rooms for the room scenario.
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.argv[2] || 8082);
const http = createServer();
const io = new Server(http, { perMessageDeflate: false, maxHttpBufferSize: 65536, transports: ['websocket'] });
const users = new Map();
let counter = 0;

io.on('connection', (socket) => {
  socket.on('user-joined', (username) => {
    users.set(socket.id, String(username).trim());
    io.emit('user-connected', { username: users.get(socket.id), userId: socket.id, timestamp: Date.now(), totalUsers: users.size });
  });
  socket.on('send-message', (message) => {
    io.emit('receive-message', { id: (counter++).toString(36), username: users.get(socket.id), message: String(message).trim(), timestamp: Date.now(), userId: socket.id });
  });
  socket.on('join-room', (roomId) => {
    socket.join(String(roomId));
    socket.emit('joined-room', { roomId, members: [] });
  });
  socket.on('room-message', ({ roomId, message }) => {
    if (!socket.rooms.has(roomId)) return;
    io.to(roomId).emit('room-message', { roomId, id: (counter++).toString(36), message: String(message).trim(), from: users.get(socket.id), fromUserId: socket.id, timestamp: Date.now() });
  });
  socket.on('disconnect', () => users.delete(socket.id));
});
http.listen(port, '127.0.0.1', () => console.log(`socket.io peer listening on ${port}`));
