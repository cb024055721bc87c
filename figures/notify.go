package figures

import (
	"context"

	"github.com/onewindow/onewindow/apperr"
)

// NotifyChannel is one channel's messages over a month or the period, read
// from the notifier's kept counts per China day (notify_counts): a few rows
// a day, whatever the number of messages.
type NotifyChannel struct {
	Channel   string `json:"channel"`
	Messages  int64  `json:"messages"`
	Delivered int64  `json:"delivered"`
	Sent      int64  `json:"sent"`
	Dead      int64  `json:"dead"`
	Failures  int64  `json:"failures"`
	// MeanDelaySeconds is the mean time from an event to its message being
	// sent; nil when none was sent.
	MeanDelaySeconds *float64 `json:"mean_delay_seconds"`
	delayMS          int64
}

func (c *NotifyChannel) add(o NotifyChannel) {
	c.Messages += o.Messages
	c.Delivered += o.Delivered
	c.Sent += o.Sent
	c.Dead += o.Dead
	c.Failures += o.Failures
	c.delayMS += o.delayMS
}

func (c *NotifyChannel) mean() {
	c.MeanDelaySeconds = nil
	if c.Sent > 0 {
		m := float64(c.delayMS) / 1000 / float64(c.Sent)
		c.MeanDelaySeconds = &m
	}
}

// NotifyMonth is a month's messages per channel.
type NotifyMonth struct {
	Month    string          `json:"month"`
	Channels []NotifyChannel `json:"channels"`
}

// NotifyFigures are the messages of the period per channel: counted for
// the whole province only (a message belongs to no point or department).
type NotifyFigures struct {
	Counted bool            `json:"counted"`
	Totals  []NotifyChannel `json:"totals"`
	Months  []NotifyMonth   `json:"months"`
}

// notifyChannels are the channels in the order pages show them.
var notifyChannels = []string{"inbox", "email", "sms", "webhook"}

func newNotifyChannels() []NotifyChannel {
	out := make([]NotifyChannel, len(notifyChannels))
	for i, ch := range notifyChannels {
		out[i].Channel = ch
	}
	return out
}

func (s *Service) countNotifications(ctx context.Context, months []Month) (NotifyFigures, error) {
	out := NotifyFigures{Counted: true, Totals: newNotifyChannels(), Months: make([]NotifyMonth, len(months))}
	index := map[string]int{}
	for i, m := range months {
		out.Months[i] = NotifyMonth{Month: m.String(), Channels: newNotifyChannels()}
		index[m.String()] = i
	}
	chIndex := map[string]int{}
	for i, ch := range notifyChannels {
		chIndex[ch] = i
	}
	last := months[len(months)-1].Add(1).FirstDay()
	err := s.each(ctx, `SELECT day, channel, messages, delivered, sent, dead, failures, delay_ms FROM notify_counts WHERE day >= ? AND day < ?`,
		[]any{months[0].FirstDay(), last}, func(scan func(...any) error) error {
			var day, ch string
			var c NotifyChannel
			if err := scan(&day, &ch, &c.Messages, &c.Delivered, &c.Sent, &c.Dead, &c.Failures, &c.delayMS); err != nil {
				return err
			}
			mi, ok := index[day[:7]]
			ci, known := chIndex[ch]
			if !ok || !known {
				return nil
			}
			out.Months[mi].Channels[ci].add(c)
			out.Totals[ci].add(c)
			return nil
		})
	if err != nil {
		return NotifyFigures{}, apperr.Wrap(err, "figures: notifications")
	}
	for i := range out.Months {
		for j := range out.Months[i].Channels {
			out.Months[i].Channels[j].mean()
		}
	}
	for i := range out.Totals {
		out.Totals[i].mean()
	}
	return out, nil
}
