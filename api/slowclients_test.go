package api_test

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/api"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/workday"
)

// Clients that send their headers and then trickle the body (or never send
// it) are cut off once the body stops coming at the minimum rate (408), and
// while they wait, anonymous requests hold at most half of the places: a
// signed-in member of staff is served all the same.
func TestSlowClientsCannotCrowdOutStaff(t *testing.T) {
	e := sqliteEnv(t)
	cal, err := workday.NewOfficial()
	if err != nil {
		t.Fatal(err)
	}
	srv := api.New(&api.Server{Clock: e.clock.Clock(), DB: e.db, Auth: auth.NewStore(e.db), Catalog: catalog.NewStore(e.db),
		Points: network.NewStore(e.db), Cases: e.svc, Calendar: cal, Workdays: workday.NewStore(e.db), UploadDir: t.TempDir(),
		MaxInFlight: 4, QueueWait: 300 * time.Millisecond, BodyGrace: 700 * time.Millisecond, MinBodyRate: 1 << 20},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := srv.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	base := srv.URL()
	client := checkedClient(t, 10*time.Second)
	do := func(method, path, token, body string) int {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode
	}
	// A reviewer signs in and works (the token is then known as signed in).
	token, _, err := auth.NewStore(e.db).Login(context.Background(), "rs_shenpi", demo.Password)
	if err != nil {
		t.Fatal(err)
	}
	if got := do("GET", "/api/v1/cases", token, ""); got != 200 {
		t.Fatalf("the reviewer's work queue: %d", got)
	}

	// Six clients promise a sign-in body and send one byte of it.
	addr := strings.TrimPrefix(base, "http://")
	var slow []net.Conn
	for range 6 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		io.WriteString(c, "POST /api/v1/auth/login HTTP/1.1\r\nHost: onewindow\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
		slow = append(slow, c)
	}
	time.Sleep(100 * time.Millisecond) // let them take their places

	for i := range 3 {
		if got := do("GET", "/api/v1/cases", token, ""); got != 200 {
			t.Fatalf("request %d of the signed-in reviewer while slow clients wait: %d, want 200", i, got)
		}
	}

	// Every slow client is answered and let go: 408 for those that held a
	// place, 503 for those that waited for one.
	statuses := map[string]int{}
	for _, c := range slow {
		c.SetReadDeadline(time.Now().Add(15 * time.Second))
		line, err := bufio.NewReader(c).ReadString('\n')
		if err != nil {
			t.Fatalf("a slow client was never answered: %v", err)
		}
		statuses[strings.TrimSpace(line)]++
	}
	if statuses["HTTP/1.1 408 Request Timeout"] == 0 {
		t.Errorf("answers to the slow clients: %v, want some 408", statuses)
	}
	for s := range statuses {
		if !strings.Contains(s, " 408 ") && !strings.Contains(s, " 503 ") {
			t.Errorf("a slow client got %q", s)
		}
	}
	// The places are free again for anyone.
	if got := do("GET", "/api/v1/items?limit=1", "", ""); got != 200 {
		t.Errorf("an anonymous request after the slow clients were cut off: %d", got)
	}
	if got := do("POST", "/api/v1/auth/login", "", `{"username":"rs_shenpi","password":"`+demo.Password+`"}`); got != 200 {
		t.Errorf("signing in after the slow clients were cut off: %d", got)
	}
}
