package bench

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/onewindow/onewindow/store"
)

// smsSink answers the started server's SMS gateway calls as a gateway that
// accepts everything, on a loopback port, so that the notifier does its
// whole work (claims, the daily-cap count, the HTTP call, the record) while
// intake is measured. It sends nothing anywhere.
type smsSink struct {
	srv      *http.Server
	URL      string
	received atomic.Int64
}

func startSMSSink() (*smsSink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &smsSink{URL: "http://" + ln.Addr().String() + "/sms/send"}
	s.srv = &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.received.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"code":"OK","message":"bench sink","biz_id":"bench"}`))
	})}
	go s.srv.Serve(ln)
	return s, nil
}

func (s *smsSink) Close() { s.srv.Close() }

var chinaZone = time.FixedZone("CST", 8*3600)

// notifierFlags are the started server's notifier settings: on with the
// sink as its SMS gateway (no daily cap worth the name: every intake case
// is the same bench applicant), or off.
//
// Either way the server's clock starts at 10:00 China time today: SMS wait
// out the quiet hours (21:00–08:00), so a bench run in the evening would
// otherwise measure a notifier that only queues.
func (e *env) notifierFlags() ([]string, error) {
	// wall clock: the bench's day, not a business date
	daytime := []string{"--now", time.Now().In(chinaZone).Format("2006-01-02") + "T10:00"}
	if !e.cfg.Notify {
		return append([]string{"--notify=false"}, daytime...), nil
	}
	sink, err := startSMSSink()
	if err != nil {
		return nil, err
	}
	e.sink = sink
	e.cleanups = append(e.cleanups, sink.Close)
	return append([]string{"--notify=true", "--sms-gateway-url", sink.URL, "--sms-sign-name", "基准测试", "--sms-daily-cap", "1000000000"}, daytime...), nil
}

// notifierBacklog waits for the notifier to finish what intake left in the
// outbox and the delivery queue, and notes how long it took after the load
// ended: a notifier that keeps up has nothing, or a moment's work, left.
func (e *env) notifierBacklog(ctx context.Context) {
	if !e.cfg.Notify || e.db == nil || e.server == nil {
		return
	}
	start := time.Now()
	count := func() (int, error) {
		var n, m int
		if err := e.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL`).Scan(&n); err != nil {
			return 0, err
		}
		err := e.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM notify_deliveries WHERE status IN ('queued', 'sending') AND next_at <= ?`,
			store.FormatTime(time.Now())).Scan(&m)
		return n + m, err
	}
	left, err := count()
	if err != nil {
		e.note("notifier: backlog not measured: " + err.Error())
		return
	}
	first := left
	for left > 0 && time.Since(start) < time.Minute && ctx.Err() == nil {
		time.Sleep(50 * time.Millisecond)
		if left, err = count(); err != nil {
			return
		}
	}
	e.note(fmt.Sprintf("notifier on: %d messages waiting when the intake load ended, all out %.1f s later; the SMS sink received %d in all",
		first, time.Since(start).Seconds(), e.sink.received.Load()))
}
