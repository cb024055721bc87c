package notify

import (
	"context"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/store"
)

// dayCount is what one round adds to a channel's kept counts of the day.
type dayCount struct {
	messages, delivered, sent, dead, failures, delayMS int64
}

// keptCounts are one round's additions per channel.
type keptCounts map[Channel]*dayCount

func (k keptCounts) of(ch Channel) *dayCount {
	c := k[ch]
	if c == nil {
		c = &dayCount{}
		k[ch] = c
	}
	return c
}

// keep adds a round's counts to the China day of now, in the round's
// transaction: one upsert per channel, so the figures cost a round a
// statement or two, and a rolled-back round counts nothing.
func (k keptCounts) keep(ctx context.Context, tx *store.Tx, now time.Time) error {
	day := ChinaDay(now)
	for _, ch := range Channels {
		c := k[ch]
		if c == nil {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO notify_counts (day, channel, messages, delivered, sent, dead, failures, delay_ms)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (day, channel) DO UPDATE SET messages = notify_counts.messages + excluded.messages,
				delivered = notify_counts.delivered + excluded.delivered, sent = notify_counts.sent + excluded.sent,
				dead = notify_counts.dead + excluded.dead, failures = notify_counts.failures + excluded.failures,
				delay_ms = notify_counts.delay_ms + excluded.delay_ms`,
			day, string(ch), c.messages, c.delivered, c.sent, c.dead, c.failures, c.delayMS); err != nil {
			return apperr.Wrap(err, "notify: kept counts")
		}
	}
	return nil
}
