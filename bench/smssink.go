package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/onewindow/onewindow/store"
)

// smsSink answers the started server's SMS gateway calls as a gateway that
// accepts everything, on a loopback port, so that the notifier does its
// whole work (claims, the daily-cap count, the HTTP call, the record) while
// intake is measured. It speaks both forms of the gateway interface (one
// message a request, or a batch answered per message) and sends nothing
// anywhere.
type smsSink struct {
	srv      *http.Server
	URL      string
	received atomic.Int64
	requests atomic.Int64
}

// sinkBatch is as much of a batch as the sink reads: the messages' ids,
// which its answer names.
type sinkBatch struct {
	Messages []struct {
		OutID string `json:"out_id"`
	} `json:"messages"`
}

type sinkResult struct {
	OutID string `json:"out_id"`
	Code  string `json:"code"`
	BizID string `json:"biz_id"`
}

func startSMSSink() (*smsSink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &smsSink{URL: "http://" + ln.Addr().String() + "/sms/send"}
	s.srv = &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		var batch sinkBatch
		if err := json.NewDecoder(r.Body).Decode(&batch); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		if batch.Messages == nil { // the single form
			s.received.Add(1)
			w.Write([]byte(`{"code":"OK","message":"bench sink","biz_id":"bench"}`))
			return
		}
		s.received.Add(int64(len(batch.Messages)))
		results := make([]sinkResult, len(batch.Messages))
		for i, m := range batch.Messages {
			results[i] = sinkResult{OutID: m.OutID, Code: "OK", BizID: "bench"}
		}
		json.NewEncoder(w).Encode(map[string]any{"code": "OK", "message": "bench sink", "results": results})
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
	wall := time.Now()
	y, m, d := wall.In(chinaZone).Date()
	e.serverEpoch, e.serverWall = time.Date(y, m, d, 10, 0, 0, 0, chinaZone), wall
	daytime := []string{"--now", e.serverEpoch.Format("2006-01-02T15:04")}
	if !e.cfg.Notify {
		return append([]string{"--notify=false"}, daytime...), nil
	}
	sink, err := startSMSSink()
	if err != nil {
		return nil, err
	}
	e.sink = sink
	e.cleanups = append(e.cleanups, sink.Close)
	flags := []string{"--notify=true", "--sms-gateway-url", sink.URL, "--sms-sign-name", "基准测试", "--sms-daily-cap", "1000000000"}
	if e.cfg.SMSBatch > 1 {
		flags = append(flags, "--sms-gateway-batch", strconv.Itoa(e.cfg.SMSBatch))
	}
	return append(flags, daytime...), nil
}

// notifierWaiting counts what the notifier has still to do now: outbox rows
// not yet expanded and messages due.
func (e *env) notifierWaiting(ctx context.Context) (int, error) {
	var n, m int
	if err := e.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL`).Scan(&n); err != nil {
		return 0, err
	}
	// Messages being sent (claimed, whatever their lease) and those due
	// by the server's clock, which runs from 10:00 China time of the
	// bench's day: in the evening (UTC) that is hours ahead of the real time.
	err := e.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM notify_deliveries WHERE status IN ('queued', 'sending')
		AND (status = 'sending' OR next_at <= ?)`, store.FormatTime(e.serverNow())).Scan(&m)
	return n + m, err
}

// serverNow is the started server's time now: its clock started at
// serverEpoch when the bench started it, and runs on from there.
func (e *env) serverNow() time.Time {
	// wall clock: how long the server's clock has run
	return e.serverEpoch.Add(time.Since(e.serverWall))
}

// notifierDrained waits (up to a minute) until the notifier has nothing
// left, and returns how long that took. Before each measured intake run it
// lets the notifier finish the messages of the raw and ideal writers'
// intakes of the run before (they write the same outbox rows), which would
// otherwise be measured as a cost of the app's intake.
func (e *env) notifierDrained(ctx context.Context) (time.Duration, int, error) {
	start := time.Now() // wall clock: how long the queue took to empty
	left, err := e.notifierWaiting(ctx)
	if err != nil {
		return 0, 0, err
	}
	first := left
	for left > 0 && time.Since(start) < time.Minute && ctx.Err() == nil {
		time.Sleep(50 * time.Millisecond)
		if left, err = e.notifierWaiting(ctx); err != nil {
			return time.Since(start), first, err
		}
	}
	return time.Since(start), first, nil
}

// notifierSettled is called before an intake run: with the notifier on it
// waits for what earlier runs left, so that each run measures intake beside
// the notifier's work for that run's intakes only.
func (e *env) notifierSettled(ctx context.Context) {
	if !e.cfg.Notify || e.db == nil || e.server == nil {
		return
	}
	took, left, err := e.notifierDrained(ctx)
	if err != nil {
		e.note("notifier: not settled before the run: " + err.Error())
		return
	}
	if left > 0 {
		e.note(fmt.Sprintf("notifier on: before an intake run, %d messages of the previous run's raw and ideal intakes were waiting; the run began when they were out, %.1f s later",
			left, took.Seconds()))
	}
}

// notifierBacklog waits for the notifier to finish what intake left in the
// outbox and the delivery queue, and notes how long it took after the load
// ended: a notifier that keeps up has nothing, or a moment's work, left.
func (e *env) notifierBacklog(ctx context.Context) {
	if !e.cfg.Notify || e.db == nil || e.server == nil {
		return
	}
	took, first, err := e.notifierDrained(ctx)
	if err != nil {
		e.note("notifier: backlog not measured: " + err.Error())
		return
	}
	form := "one a request"
	if e.cfg.SMSBatch > 1 {
		form = fmt.Sprintf("in batches of up to %d", e.cfg.SMSBatch)
	}
	e.note(fmt.Sprintf("notifier on: %d messages waiting when the intake load ended, all out %.1f s later; the SMS sink received %d in all, %s, in %d requests",
		first, took.Seconds(), e.sink.received.Load(), form, e.sink.requests.Load()))
}
