package agent

// guestState is what the guest is now: its files and what the commands
// that change the guest have changed. It belongs to the guest, not to the
// agent process, so an agent restart keeps it.
type guestState struct {
	fs        FS
	vcpus     []VCPU
	memBlocks []MemoryBlock
	frozenFS  int // file systems a freeze froze, until the thaw
	// passwords set by guest-set-user-password, by user: the password as
	// sent (decoded) and whether it was already crypted.
	passwords map[string]Password
}

// Password is what guest-set-user-password set for an account.
type Password struct {
	Value   string
	Crypted bool
}

// newGuestState copies the configuration's mutable facts, so that the
// caller's Config stays as it was and a second run starts from the same
// guest.
func newGuestState(cfg *Config) *guestState {
	g := &guestState{
		vcpus:     append([]VCPU(nil), cfg.VCPUs...),
		memBlocks: append([]MemoryBlock(nil), cfg.MemoryBlocks...),
		passwords: map[string]Password{},
	}
	g.fs = cfg.FS
	if g.fs == nil {
		homes := make([]string, 0, len(cfg.Accounts))
		for _, acc := range cfg.Accounts {
			homes = append(homes, acc.Home)
		}
		g.fs = NewMemFS(cfg.Files, homes...)
	}
	return g
}

// FS returns the guest's file system, as the guest's commands changed it.
func (a *Agent) FS() FS { return a.guest.fs }

// VCPUs returns the guest's processors, as guest-set-vcpus left them.
func (a *Agent) VCPUs() []VCPU { return append([]VCPU(nil), a.guest.vcpus...) }

// MemoryBlocks returns the guest's memory blocks, as guest-set-memory-blocks
// left them.
func (a *Agent) MemoryBlocks() []MemoryBlock { return append([]MemoryBlock(nil), a.guest.memBlocks...) }

// Passwords returns the passwords guest-set-user-password set, by user.
func (a *Agent) Passwords() map[string]Password {
	out := make(map[string]Password, len(a.guest.passwords))
	for k, v := range a.guest.passwords {
		out[k] = v
	}
	return out
}
