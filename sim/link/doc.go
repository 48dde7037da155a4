// Package link is the virtual serial link between the host client and the
// guest agent: two directions, host-to-agent and agent-to-host, each a
// pipeline of fault stages followed by delivery, and the transport models
// that decide what a host disconnect or an agent death does to bytes in
// flight.
//
// The contract. A writer's bytes get offsets in the writer's stream of the
// direction (from 0, over the whole run). Every byte carries its offset
// through the pipeline (Chunk.Src, or runs a stage sets on a plain write,
// Chunk.SetRuns), so that every byte written is, in the
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
// Whose bytes. HostWrite and AgentWrite copy the writer's bytes (a live
// socket's buffer is reused). HostWriteShared and AgentWriteShared keep
// them without a copy: the writer hands them over and never changes them
// again, and the link does not either (a stage changes bytes in place only
// after Chunk.Own, which copies a shared write). Readers get slices of
// what the link holds and must not change them. A stage that says it is
// Passive is never passed a write.
//
// Transports. A transport (Transport) is what one kind of channel does
// when a side comes or goes, as measured on a real QEMU guest
// (docs/lab.md, "What the first lab found"): virtio-serial (transport_virtio.go) holds the
// agent's writes while no host is connected, isa-serial (transport_isa.go)
// loses them and flushes input at open, unix-socket (transport_unix.go) is
// qemu-ga listening itself. Each file says its rules with the lab's
// numbers. Nothing outside a transport's file compares transport names:
// the Link calls its hooks, the agent process asks whether its reads are
// seekable (GLibChannel), the World whether it has port events and whether
// a connect waits for a listening agent.
//
// Adding a transport (a Windows virtio-serial personality, vsock, a TCP
// chardev). Write transport_NAME.go with a type that implements Transport:
//
//   - Name and Doc: the name scenarios use, and one sentence for the docs'
//     table of transports;
//   - Defaults: latency, jitter, baud, read size and capacity per
//     direction, from measurements (the agent-to-host capacity is how much
//     an agent can write to a host that does not read before it blocks);
//   - Seekable, PortEvents, AgentListens, HoldsForNoHost: the four yes/no
//     rules above;
//   - HostClosed, AgentStarted, AgentDied: what a host close, an agent's
//     open of the port and its death do to the bytes in flight in each
//     direction, with the Direction's drop operations (dropFlight keeps a
//     head or a tail, dropReady drops what reached the reader's side,
//     dropHeld what the writer could not put in yet); each drop names its
//     reason in a transport.drop event, so the accounting closes. A random
//     choice draws from l.rng, the same number of times whatever happens.
//
// Then add the value to the transports list in transport.go. The scenario
// format's enum, its JSON Schema and the table in docs/scenario-format.md
// follow (go test ./scenarios -update); a test in this package runs every
// transport through connects, closes, starts and deaths and checks that
// every byte is delivered once or named lost. If the new transport needs
// a rule none of the hooks can say, add a method to Transport and give
// every transport its answer: the compiler then lists each file to decide.
//
// The link never touches the agent's parser: only a restart resets it.
// Nothing here reads a clock or a global random source: the World passes
// the time and a seeded stream.
package link
