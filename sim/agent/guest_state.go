package agent

// guestState is what the guest is now: its files and what the commands
// that change the guest have changed. It belongs to the guest, not to the
// agent process, so an agent restart keeps it.
type guestState struct {
	fs        FS      // nil until a command first touches a file
	cfg       *Config // what the file system is made from
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
		fs:        cfg.FS,
		cfg:       cfg,
	}
	return g
}

// files is the guest's file system. The in-memory one is made when a
// command first needs it: most runs never touch a file, and a sweep
// starts a guest per run. It is made from the configuration as it was
// (an agent never changes its Config, and the file contents are copied).
func (g *guestState) files() FS {
	if g.fs == nil {
		cfg := g.cfg
		homes := make([]string, 0, len(cfg.Accounts))
		for _, acc := range cfg.Accounts {
			homes = append(homes, acc.Home)
		}
		files := cfg.Files
		if files == nil {
			files = map[string][]byte{
				"/etc/hostname":   []byte(cfg.HostName + "\n"),
				"/etc/os-release": []byte("PRETTY_NAME=\"" + cfg.OS.PrettyName + "\"\n"),
			}
		}
		g.fs = NewMemFS(files, homes...)
	}
	return g.fs
}

// FS returns the guest's file system, as the guest's commands changed it.
func (a *Agent) FS() FS { return a.guest.files() }

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
