package check

// openSet is the requests issued and not yet ended, by number. A run has
// one or two open at a time, so they are kept in a short slice, searched
// from the newest (the one most events are about); past maxFew at once
// (many callers in parallel) they move to a map until none is open.
type openSet struct {
	few  []*pending       // in issue order; unused while many is set
	many map[int]*pending // nil while at most maxFew are open
}

const maxFew = 8

func (s *openSet) get(req int) *pending {
	if s.many != nil {
		return s.many[req]
	}
	for i := len(s.few) - 1; i >= 0; i-- {
		if s.few[i].r.Req == req {
			return s.few[i]
		}
	}
	return nil
}

// put opens p, which replaces an open request of the same number.
func (s *openSet) put(p *pending) {
	req := p.r.Req
	if s.many == nil {
		for i, q := range s.few {
			if q.r.Req == req {
				s.few[i] = p
				return
			}
		}
		if len(s.few) < maxFew {
			s.few = append(s.few, p)
			return
		}
		s.many = make(map[int]*pending, 2*maxFew)
		for _, q := range s.few {
			s.many[q.r.Req] = q
		}
		clear(s.few)
		s.few = s.few[:0]
	}
	s.many[req] = p
}

// remove closes request req, if open.
func (s *openSet) remove(req int) {
	if s.many != nil {
		delete(s.many, req)
		if len(s.many) == 0 {
			s.many = nil
		}
		return
	}
	for i := len(s.few) - 1; i >= 0; i-- {
		if s.few[i].r.Req == req {
			copy(s.few[i:], s.few[i+1:])
			s.few[len(s.few)-1] = nil
			s.few = s.few[:len(s.few)-1]
			return
		}
	}
}

// each calls f for every open request, in no particular order.
func (s *openSet) each(f func(p *pending)) {
	for _, p := range s.few {
		f(p)
	}
	for _, p := range s.many {
		f(p)
	}
}

// len is the number of open requests.
func (s *openSet) len() int { return len(s.few) + len(s.many) }
