package bytefmt

// Flags are the facts the view model knows about one byte of a writer's
// stream. Several can hold at once (a byte can be delivered and then
// discarded by the client); ClassOf picks the one to show.
type Flags uint8

// Facts about a byte.
const (
	FDelivered Flags = 1 << iota // a reader took it out of the link
	FLost                        // a fault or the transport removed it: never delivered
	FChanged                     // a fault altered it: delivered with another value
	FAdded                       // no writer wrote it: a fault added it (a duplicate, an insertion)
	FDiscarded                   // the host client threw it away while resyncing
	FAccepted                    // part of a reply the host client handed to a caller
	FHeld                        // the transport is holding it (virtio-serial with no host)
)

// Class is what the UI shows for a byte: one colour, one legend entry.
type Class uint8

// Classes, in legend order.
const (
	InFlight   Class = iota // written, not delivered yet
	Delivered               // delivered as written
	Dropped                 // lost on the way
	Corrupted               // delivered with another value
	Duplicated              // added by a fault
	Sentinel                // the 0xFF byte
	Discarded               // thrown away by the client while resyncing
	Accepted                // part of the reply the client accepted
	Held                    // held by the transport
	numClasses
)

var classNames = [numClasses]string{
	InFlight: "in flight", Delivered: "delivered", Dropped: "dropped", Corrupted: "corrupted",
	Duplicated: "duplicated", Sentinel: "0xFF", Discarded: "discarded by client",
	Accepted: "accepted reply", Held: "held",
}

var shortNames = [numClasses]string{
	InFlight: "wire", Delivered: "ok", Dropped: "drop", Corrupted: "corrupt", Duplicated: "dup",
	Sentinel: "0xFF", Discarded: "discard", Accepted: "accepted", Held: "held",
}

var keys = [numClasses]string{
	InFlight: "inflight", Delivered: "delivered", Dropped: "dropped", Corrupted: "corrupted",
	Duplicated: "duplicated", Sentinel: "sentinel", Discarded: "discarded", Accepted: "accepted", Held: "held",
}

// Key is the class's name for machines: lower-case letters only, stable, so
// that a CSS class or a JSON field can carry it.
func (c Class) Key() string {
	if c < numClasses {
		return keys[c]
	}
	return "unknown"
}

// Short is the class's name for a narrow legend.
func (c Class) Short() string {
	if c < numClasses {
		return shortNames[c]
	}
	return "?"
}

func (c Class) String() string {
	if c < numClasses {
		return classNames[c]
	}
	return "class?"
}

// Classes lists every class in legend order.
func Classes() []Class {
	out := make([]Class, numClasses)
	for i := range out {
		out[i] = Class(i)
	}
	return out
}

// ClassOf picks the class of byte b from its facts. What a fault did wins
// over what the client did, because it explains the client's behaviour; the
// 0xFF byte keeps its own colour unless a fault touched it, because it is
// the point of the protocol; acceptance wins over discarding, because a
// reply the caller got is the thing a reader looks for.
func ClassOf(f Flags, b byte) Class {
	switch {
	case f&FLost != 0:
		return Dropped
	case f&FChanged != 0:
		return Corrupted
	case f&FAdded != 0:
		return Duplicated
	case b == 0xFF:
		return Sentinel
	case f&FAccepted != 0:
		return Accepted
	case f&FDiscarded != 0:
		return Discarded
	case f&FDelivered != 0:
		return Delivered
	case f&FHeld != 0:
		return Held
	}
	return InFlight
}
