// Package logging builds the server's log: text or JSON lines on a writer,
// with identity numbers and mobile numbers masked in everything logged, and
// the per-request record the HTTP layer fills in (the request id, the user,
// the route) so that every line about a request names it.
package logging

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
)

// Formats are the log formats New takes.
var Formats = []string{"text", "json"}

// New returns a logger writing format ("text" or "json") lines to w from
// level up, with personal data masked (Redact).
func New(w io.Writer, format string, level slog.Leveler) (*slog.Logger, error) {
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler
	switch format {
	case "text", "":
		h = slog.NewTextHandler(w, opts)
	case "json":
		h = slog.NewJSONHandler(w, opts)
	default:
		return nil, fmt.Errorf("unknown log format %q: text or json", format)
	}
	return slog.New(Redact(h)), nil
}

// Redact wraps h so that no identity number or mobile number reaches it:
// the message and every attribute (errors, values printed with fmt, groups,
// and the attributes given to With) are masked with Scrub. A record logged
// with the context of a request also gets the request's id
// ("request_id").
func Redact(h slog.Handler) slog.Handler {
	if r, ok := h.(redactor); ok {
		return r
	}
	return redactor{next: h}
}

type redactor struct{ next slog.Handler }

func (h redactor) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

func (h redactor) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, Scrub(r.Message), r.PC)
	if rq := FromContext(ctx); rq != nil {
		out.AddAttrs(slog.String("request_id", rq.ID))
	}
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(scrubAttr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h redactor) WithAttrs(attrs []slog.Attr) slog.Handler {
	out := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		out[i] = scrubAttr(a)
	}
	return redactor{next: h.next.WithAttrs(out)}
}

func (h redactor) WithGroup(name string) slog.Handler {
	return redactor{next: h.next.WithGroup(name)}
}

// scrubAttr masks a's value. Strings, errors and other values are masked as
// text; a value whose text needs no masking is kept as it was, so that the
// JSON format still renders numbers, structures and times as such.
func scrubAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Scrub(v.String()))
	case slog.KindInt64:
		if s := strconv.FormatInt(v.Int64(), 10); Scrub(s) != s {
			return slog.String(a.Key, Scrub(s))
		}
	case slog.KindUint64:
		if s := strconv.FormatUint(v.Uint64(), 10); Scrub(s) != s {
			return slog.String(a.Key, Scrub(s))
		}
	case slog.KindGroup:
		g := v.Group()
		out := make([]slog.Attr, len(g))
		for i, ga := range g {
			out[i] = scrubAttr(ga)
		}
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(out...)}
	case slog.KindAny:
		var s string
		switch x := v.Any().(type) {
		case error:
			// An error is text in either format; its text is what is masked.
			return slog.String(a.Key, Scrub(x.Error()))
		case fmt.Stringer:
			s = x.String()
		case []byte:
			s = string(x)
		default:
			s = fmt.Sprintf("%+v", x)
		}
		if masked := Scrub(s); masked != s {
			return slog.String(a.Key, masked)
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}
