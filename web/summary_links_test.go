package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/demo"
)

var summaryLink = regexp.MustCompile(`<a href="#([^"]+)" data-field="`)

// linksTo checks that the page's error summary links to each of want and
// that every link of the summary leads to an element of the page.
func (p *page) linksTo(want ...string) {
	p.t.Helper()
	summary := p.within("problem", "</div>")
	var links []string
	for _, m := range summaryLink.FindAllStringSubmatch(summary, -1) {
		links = append(links, m[1])
		if !strings.Contains(p.body, `id="`+m[1]+`"`) {
			p.t.Errorf("%s: the summary links to #%s, which is no element of the page", p.req, m[1])
		}
	}
	for _, a := range want {
		if !slices.Contains(links, a) {
			p.t.Errorf("%s: the summary does not link to #%s; its links: %v", p.req, a, links)
		}
	}
}

// The errors of one member row of the bundle editor are linked from the
// summary to that row's inputs.
func TestAdminBundleSummaryLinksToRows(t *testing.T) {
	e := sqliteEnv(t)
	admin := e.as(t, "admin")
	admin.get("/admin/bundles/new").want(200)
	f := newBundleForm("YJS-LINKS")
	f.Set("b1_depends_on", "NOT-A-MEMBER")
	f.Set("member_rows", "5")
	f.Set("b3_item_q", "没有这样的事项名称")
	p := admin.post("/admin/bundles/new", f).want(http.StatusUnprocessableEntity)
	p.linksTo("b1_dep-"+demo.CodeBirthCertificate, "b3_item-q")
	if !strings.Contains(p.within("b1_depends", "</fieldset>"), "NOT-A-MEMBER") {
		t.Error("the prerequisite's message is not next to its row")
	}
}

// The errors of one day's form and of one person's skill form on the
// roster are linked from the summary to that form's inputs.
func TestRosterSummaryLinksToTheFormThatFailed(t *testing.T) {
	e := sqliteEnvAt(t, hallClock)
	m := e.as(t, "qz_dating")
	m.get("/hall/roster?week=" + hallToday).want(200)
	issuer := e.id(t, "qz_chuzheng")
	day := "2026-11-28"
	p := m.post("/hall/roster/day", url.Values{"point": {demo.QingzhouCentre}, "day": {day}, "op": {"add"},
		"user_id": {e.id(t, "qz_quanke")}, "starts": {"9点"}, "ends": {"12:00"}}).want(http.StatusUnprocessableEntity)
	p.linksTo("starts-" + day)
	m.post("/hall/roster/day", url.Values{"point": {demo.QingzhouCentre}, "day": {day}, "op": {"add"}}).
		want(http.StatusUnprocessableEntity).linksTo("user-" + day)

	p = m.post("/hall/roster/skill", url.Values{"user_id": {issuer}, "week": {hallToday}, "items": {strings.Repeat("9", 70)}}).
		want(http.StatusUnprocessableEntity)
	p.linksTo("items-" + issuer + "-q")
	if !strings.Contains(p.within("skill-"+issuer, "</form>"), "事项编码有误") {
		t.Error("a bad item code is not shown on the person's skill form")
	}

	rotate := url.Values{"point": {demo.QingzhouCentre}, "week": {hallToday}, "from": {hallToday}, "days": {"0"}, "per_day": {"2"},
		"staff": {e.id(t, "qz_quanke")}}
	m.post("/hall/roster/rotate", rotate).want(http.StatusUnprocessableEntity).linksTo("rotate-days")
}
