// A bare `ws` server for the bench's transfer floor: on each message `N` it sends N bytes back as
// one binary message, from a buffer filled once. Run as a child process so that, like the server
// under test, it has its own event loop; it prints its port on stdout.
import WebSocket, { WebSocketServer } from 'ws';

let payload = Buffer.alloc(0);
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, maxPayload: 1 << 20 });
wss.on('listening', () => process.stdout.write(`${JSON.stringify({ port: wss.address().port })}\n`));
wss.on('connection', (socket) =>
  socket.on('message', (data) => {
    const n = Number(String(data));
    if (payload.length !== n) payload = Buffer.alloc(n, 7);
    if (socket.readyState === WebSocket.OPEN) socket.send(payload, { binary: true });
  }),
);
process.on('SIGTERM', () => wss.close(() => process.exit(0)));
