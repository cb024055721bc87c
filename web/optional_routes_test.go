package web_test

import (
	"context"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/api"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/web"
	"github.com/onewindow/onewindow/workday"
)

// bareEnv is e's server again, over the same database, without the
// optional services: no halls, ratings or coverage.
func bareEnv(t *testing.T, e *env) *env {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	pages := web.New(web.Deps{Clock: e.clock.Clock(), DB: e.db, Auth: e.users, Catalog: e.cat, Points: network.NewStore(e.db), Cases: e.svc,
		Workdays: workday.NewStore(e.db), Limiter: e.limiter, UploadDir: t.TempDir(), Log: log, Licences: e.lic})
	srv := api.New(&api.Server{Clock: e.clock.Clock(), SessionCookie: web.SessionCookie, DB: e.db, Auth: e.users, Catalog: e.cat,
		Points: network.NewStore(e.db), Cases: e.svc, Workdays: workday.NewStore(e.db), UploadDir: t.TempDir(), Limiter: e.limiter, Web: pages,
		Licences: e.lic}, log)
	if err := srv.Open("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	bare := *e
	bare.pages, bare.srv, bare.base, bare.hall, bare.ratings = pages, srv, srv.URL(), nil, nil
	return &bare
}

// The pages of an optional service exist only on a server that has it:
// elsewhere their addresses answer the site's own "no such page", in the
// reader's language, as any unknown address does, and a form posted to
// them changes nothing.
func TestOptionalPagesOnlyWithTheirService(t *testing.T) {
	e := sqliteEnvAt(t, hallClock)
	bare := bareEnv(t, e)
	for _, tc := range []struct {
		who, path string
	}{
		{"qz_dating", "/hall/roster"},
		{"qz_dating", "/hall/windows"},
		{"qz_dating", "/hall/today"},
		{"", "/board/" + demo.QingzhouCentre},
		{"yuxiulan", "/appointments/book"},
		{"yuxiulan", "/tickets/take"},
		{"", "/satisfaction"},
		{"admin", "/admin/coverage"},
	} {
		t.Run(strings.TrimPrefix(tc.path, "/"), func(t *testing.T) {
			e.as(t, tc.who).get(tc.path).want(http.StatusOK)
			c := bare.as(t, tc.who)
			p := c.get(tc.path).want(http.StatusNotFound).has("找不到页面", "没有这个页面")
			if ct := p.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("GET %s without its service: Content-Type %q, want the site's page", tc.path, ct)
			}
			c.lang = "en"
			c.get(tc.path).want(http.StatusNotFound).has("Not found", "there is no such page")
		})
	}

	// A form of the hall manager's page, posted with a valid form token,
	// finds no page and writes nothing; the same form on the server with
	// halls adds to the day's roster.
	const saturday = "2026-11-28"
	add := url.Values{"op": {"add"}, "point": {demo.QingzhouCentre}, "day": {saturday}, "user_id": {e.id(t, "qz_chuzheng")},
		"starts": {"09:00"}, "ends": {"12:00"}}
	before := len(e.roster(t, saturday))
	m := bare.as(t, "qz_dating")
	m.get("/account").want(http.StatusOK)
	m.post("/hall/roster/day", maps.Clone(add)).want(http.StatusNotFound).has("没有这个页面")
	if n := len(e.roster(t, saturday)); n != before {
		t.Errorf("roster of %s changed without the hall service: %d entries, was %d", saturday, n, before)
	}
	m = e.as(t, "qz_dating")
	m.get("/hall/roster").want(http.StatusOK)
	m.post("/hall/roster/day", maps.Clone(add)).want(http.StatusSeeOther)
	if n := len(e.roster(t, saturday)); n != before+1 {
		t.Errorf("roster of %s has %d entries after adding one to %d", saturday, n, before)
	}
}
