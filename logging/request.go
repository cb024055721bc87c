package logging

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"strings"
	"sync"
)

// Request is what the log says of one HTTP request beyond its method and
// status: its id, and what the handlers learn while serving it (the user
// it is for, the route it matched). Handlers fill it in through the
// request's context; the request log reads it when the answer is sent.
type Request struct {
	// ID names the request in every line logged about it and in the
	// X-Request-ID answer header.
	ID string

	mu    sync.Mutex
	user  int64
	route string
}

// MaxRequestIDLength is the longest X-Request-ID kept from a client.
const MaxRequestIDLength = 64

// NewRequest starts the record of a request. A client's X-Request-ID
// (incoming) is kept when it is short and safe: at most 64 ASCII letters,
// digits and . _ : - and nothing Scrub would mask, so that no personal data
// reaches the log through it; otherwise the request gets a fresh id.
func NewRequest(incoming string) *Request {
	if SafeRequestID(incoming) {
		return &Request{ID: incoming}
	}
	return &Request{ID: NewRequestID()}
}

// SafeRequestID tells whether a client's request id may be logged as it is.
func SafeRequestID(id string) bool {
	if id == "" || len(id) > MaxRequestIDLength {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !isAlnum(c) && !strings.ContainsRune("._:-", rune(c)) {
			return false
		}
	}
	return Scrub(id) == id
}

var requestIDEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewRequestID returns a fresh random id of 16 characters (80 bits).
func NewRequestID() string {
	for {
		var b [10]byte
		rand.Read(b[:])
		if id := requestIDEncoding.EncodeToString(b[:]); Scrub(id) == id {
			return id
		}
	}
}

type requestKey struct{}

// WithRequest returns ctx carrying rq.
func WithRequest(ctx context.Context, rq *Request) context.Context {
	return context.WithValue(ctx, requestKey{}, rq)
}

// FromContext returns the request record ctx carries, or nil.
func FromContext(ctx context.Context) *Request {
	rq, _ := ctx.Value(requestKey{}).(*Request)
	return rq
}

// SetUser records the id of the signed-in user the request is served for
// (never a name: user names may be persons' names).
func SetUser(ctx context.Context, id int64) {
	if rq := FromContext(ctx); rq != nil {
		rq.mu.Lock()
		rq.user = id
		rq.mu.Unlock()
	}
}

// SetRoute records the route pattern the request matched.
func SetRoute(ctx context.Context, pattern string) {
	if rq := FromContext(ctx); rq != nil {
		rq.mu.Lock()
		rq.route = pattern
		rq.mu.Unlock()
	}
}

// User is the signed-in user's id, when known.
func (rq *Request) User() (int64, bool) {
	rq.mu.Lock()
	defer rq.mu.Unlock()
	return rq.user, rq.user != 0
}

// Route is the route pattern recorded with SetRoute, or "".
func (rq *Request) Route() string {
	rq.mu.Lock()
	defer rq.mu.Unlock()
	return rq.route
}
