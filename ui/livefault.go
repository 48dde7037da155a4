package ui

import (
	"go.uber.org/zap"

	"github.com/qgasim/qgasim/sim/fault"
	"github.com/qgasim/qgasim/sim/trace"
)

// injectLive fires a fault key into the live session the UI shows. It
// happens in the session now, whatever moment the screen shows: a paused
// or stepped-back screen sees it when it catches up.
func (u *UI) injectLive(key string, spec fault.Spec) {
	if err := u.opts.Live.Inject(spec); err != nil {
		u.fail(err)
		return
	}
	if p, ok := u.player.(*TracePlayer); ok {
		p.byHand++
	}
	u.log.Info("injected into the live session", zap.String("key", key), zap.String("kind", spec.Kind))
	if u.playing {
		u.say("%s: fired in the live session now (by hand)", faultLabel(spec))
	} else {
		u.say("%s: fired in the live session now (by hand; space plays on to it)", faultLabel(spec))
	}
}

// faultLabel names a fault for a message: its kind, and the bytes of an
// inject ("inject \xff").
func faultLabel(spec fault.Spec) string {
	if v, ok := spec.Params["bytes"]; ok && spec.Kind == "inject" {
		return spec.Kind + " " + trace.Quote(v.Bytes)
	}
	return spec.Kind
}
