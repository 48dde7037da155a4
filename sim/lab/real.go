package lab

import (
	"fmt"
	"net"
	"time"
)

// Real plays scripts against a booted guest, on the socket of one
// transport.
type Real struct {
	G     *Guest
	Tag   string // "virtio" or "isa": which agent the agent steps act on
	sock  string
	conns map[string]net.Conn
}

// NewReal returns a target for the agent on transport (link.VirtioSerial or
// link.ISASerial names: "virtio-serial", "isa-serial").
func NewReal(g *Guest, transport string) (*Real, error) {
	r := &Real{G: g, conns: map[string]net.Conn{}}
	switch transport {
	case "virtio-serial":
		r.Tag, r.sock = "virtio", VirtioSock
	case "isa-serial":
		r.Tag, r.sock = "isa", ISASock
	default:
		return nil, fmt.Errorf("lab: no real %q transport in the guest", transport)
	}
	return r, nil
}

func (r *Real) conn(name string) (net.Conn, error) {
	c, ok := r.conns[name]
	if !ok {
		return nil, fmt.Errorf("connection %q is not open", name)
	}
	return c, nil
}

// Connect opens a connection to the chardev socket.
func (r *Real) Connect(name string) error {
	if _, ok := r.conns[name]; ok {
		return fmt.Errorf("connection %q is already open", name)
	}
	c, err := net.Dial("unix", r.G.Path(r.sock))
	if err != nil {
		return err
	}
	r.conns[name] = c
	return nil
}

// Write writes all of data.
func (r *Real) Write(name string, data []byte) error {
	c, err := r.conn(name)
	if err != nil {
		return err
	}
	c.SetWriteDeadline(time.Now().Add(10 * time.Second))
	_, err = c.Write(data)
	return err
}

// Read reads for at most d, or until the bytes of this read contain until,
// or until max bytes have come.
func (r *Real) Read(name string, until []byte, max int, d time.Duration) ([]byte, error) {
	c, err := r.conn(name)
	if err != nil {
		return nil, err
	}
	if max > 0 {
		return recvN(c, d, max), nil
	}
	return recvFor(c, d, until), nil
}

// Close closes the connection.
func (r *Real) Close(name string) error {
	c, err := r.conn(name)
	if err != nil {
		return err
	}
	delete(r.conns, name)
	return c.Close()
}

// Sleep waits d of wall time.
func (r *Real) Sleep(d time.Duration) { time.Sleep(d) }

// Agent acts on the agent through the guest's control shell.
func (r *Real) Agent(op Op) error {
	switch op {
	case OpPause:
		return r.G.Ctl.Pause(r.Tag)
	case OpResume:
		return r.G.Ctl.Resume(r.Tag)
	case OpStop:
		return r.G.Ctl.Stop(r.Tag, "TERM")
	case OpKill:
		return r.G.Ctl.Stop(r.Tag, "KILL")
	case OpTerm:
		return r.G.Ctl.Term(r.Tag)
	case OpStart:
		return r.G.Ctl.Start(r.Tag)
	}
	return fmt.Errorf("lab: %v is not an agent action", op)
}

// CloseAll closes the connections a failed script left open.
func (r *Real) CloseAll() {
	for n, c := range r.conns {
		c.Close()
		delete(r.conns, n)
	}
}
