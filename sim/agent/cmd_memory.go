package agent

import "github.com/qgasim/qgasim/sim/qjson"

// guest-get-memory-block-info: the size of a block.
func cmdMemoryBlockInfo(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	return object(qjson.NewDict().Put("size", u64(a.cfg.MemoryBlockSize))), nil
}

// guest-get-memory-blocks lists the blocks in sysfs order.
func cmdGetMemoryBlocks(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	blocks := a.guest.memBlocks
	list := make([]qjson.Value, 0, len(blocks))
	for _, i := range kernfsOrder(len(blocks), "memory", func(i int) string { return utoa(blocks[i].Index) }) {
		b := blocks[i]
		list = append(list, object(qjson.NewDict().Put("phys-index", u64(b.Index)).
			Put("online", boolean(b.Online)).Put("can-offline", boolean(b.CanOffline))))
	}
	return qjson.ArrayValue(list...), nil
}

// errnoENOENT is the error-code of a block that does not exist.
const errnoENOENT = 2

// guest-set-memory-blocks switches blocks on and off and reports each
// request's outcome, in the order given: a block that does not exist is
// "not-found", one that cannot go offline "operation-failed", and asking
// for the state a block is in succeeds without doing anything.
func cmdSetMemoryBlocks(a *Agent, in *args, r *Reply) (qjson.Value, *cmdError) {
	type change struct {
		index  uint64
		online bool
	}
	var changes []change
	in.StructList("mem-blks", false, func(_ int, el *args) {
		idx, _ := el.Uint64("phys-index", false)
		online, _ := el.Bool("online", false)
		el.Bool("can-offline", true)
		changes = append(changes, change{idx, online})
	})
	if !in.Done() {
		return qjson.Value{}, in.err
	}
	list := make([]qjson.Value, 0, len(changes))
	for _, ch := range changes {
		d := qjson.NewDict().Put("phys-index", u64(ch.index))
		b := a.memoryBlock(ch.index)
		switch {
		case b == nil:
			d.Put("response", str("not-found")).Put("error-code", i64(errnoENOENT))
		case b.Online != ch.online && !ch.online && !b.CanOffline:
			d.Put("response", str("operation-failed"))
		default:
			b.Online = ch.online
			d.Put("response", str("success"))
		}
		list = append(list, object(d))
	}
	return qjson.ArrayValue(list...), nil
}

func (a *Agent) memoryBlock(index uint64) *MemoryBlock {
	for i := range a.guest.memBlocks {
		if a.guest.memBlocks[i].Index == index {
			return &a.guest.memBlocks[i]
		}
	}
	return nil
}
