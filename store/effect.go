package store

import (
	"context"
	"sync"
)

// An effect is the one lasting change a request makes (a case, a ticket, an
// appointment created). A request that may be retried (an Idempotency-Key)
// must record that it ran in the very transaction that makes the change:
// written before, a crash in between leaves a claim without its effect;
// written after, an effect without its claim, which a retry would repeat.
//
// The caller puts an Effect in the context with WithEffect; the service that
// makes the change names what it made with NoteEffect inside its
// transaction; InTx then runs the Effect's Record in that same transaction,
// just before it commits. If Record fails, the change rolls back with it.

// Effect collects what a request made and records it with the change.
type Effect struct {
	// Record writes the claim of the request in tx, naming ref (what was
	// made, "case:42"). It runs once per transaction that noted an effect.
	Record func(ctx context.Context, tx *Tx, ref string) error

	mu  sync.Mutex
	ref string // noted in the running transaction, not yet recorded
	// Ref is what the committed transaction made ("" until then).
	Ref string
}

type effectKey struct{}

// WithEffect returns a context that carries e.
func WithEffect(ctx context.Context, e *Effect) context.Context {
	return context.WithValue(ctx, effectKey{}, e)
}

// NoteEffect names what the current transaction of ctx makes, for a request
// that carries an Effect; without one it does nothing. Call it inside the
// transaction, once the change has its identity.
func NoteEffect(ctx context.Context, ref string) {
	if e, ok := ctx.Value(effectKey{}).(*Effect); ok {
		e.mu.Lock()
		e.ref = ref
		e.mu.Unlock()
	}
}

// withEffect wraps fn so that an effect it notes is recorded in its
// transaction before it commits.
func withEffect(ctx context.Context, fn func(tx *Tx) error) func(tx *Tx) error {
	e, ok := ctx.Value(effectKey{}).(*Effect)
	if !ok || e.Record == nil {
		return fn
	}
	return func(tx *Tx) error {
		e.mu.Lock()
		e.ref = ""
		e.mu.Unlock()
		if err := fn(tx); err != nil {
			return err
		}
		e.mu.Lock()
		ref := e.ref
		e.ref = ""
		e.mu.Unlock()
		if ref == "" {
			return nil
		}
		if err := e.Record(ctx, tx, ref); err != nil {
			return err
		}
		e.mu.Lock()
		e.Ref = ref // committed unless the transaction still fails; the caller reads it only on success
		e.mu.Unlock()
		return nil
	}
}
