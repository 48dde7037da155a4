// Package link is the virtual serial link between the host client and the
// guest agent: two directions, host-to-agent and agent-to-host, each a
// pipeline of fault stages followed by delivery, and the transport models
// that decide what a host disconnect or an agent death does to bytes in
// flight.
//
// The contract. A writer's bytes get offsets in the writer's stream of the
// direction (from 0, over the whole run). Every byte carries its offset
// through the pipeline (Chunk.Src), so that every byte written is, in the
// end, delivered exactly once, or named as lost by a fault or a transport
// event, or still in flight (Direction.Pending); a fault that changes a byte
// says so, and a byte a fault adds carries offset -1. Delivery is in order
// (a serial line does not reorder): a write is ready at its write time plus
// latency, jitter and any delay a fault added, never before the write
// before it; with a baud rate each byte takes 10 bit times. A reader takes
// the bytes that are ready, at most its read size at a time. A capacity
// bounds the bytes in flight; beyond it the writer is held (it blocks, as
// qemu-ga's write loop does) or the bytes are dropped.
//
// Transports (measured behaviour, docs transport-lab.md §0):
//
//   - virtio-serial: agent writes while no host is connected are held and
//     go to the next host client ahead of its own replies; host bytes queue
//     until the agent opens the port (a new agent can start mid-request);
//     bytes already inside the guest die with the agent; a host close loses
//     the agent bytes in flight but not those still held in the guest, so a
//     half-read big reply leaves its tail for the next client.
//   - isa-serial: 115200 baud; input waiting when the agent opens the port is
//     flushed, except that a short tail (1-5 bytes) of the connection still
//     open may survive, a seeded choice (3 in 10); the bytes of a connection
//     already closed are flushed whole; agent output while no host is connected is lost,
//     including what the agent still had to write when the host closed; a
//     host that closes at once has only about 8 more bytes delivered (those
//     the UART already handed to the open tty stay); the host side holds 278
//     bytes before the agent's writes stall.
//   - unix-socket: one client at a time; a reply to a client that left is
//     dropped (also the rest of one being written); the connection ends
//     when the agent exits, and a new one waits for the agent to listen.
//
// The link never touches the agent's parser: only a restart resets it.
// Nothing here reads a clock or a global random source: the World passes
// the time and a seeded stream.
package link
