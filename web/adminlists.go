package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/enterprise"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/rating"
)

// pointsPerPage is the size of a page of the administrators' list of
// service points: a province has thousands, searched and paged in SQL.
const pointsPerPage = 50

// adminPointsData is one page of the service points, with the search and
// filters that chose it.
type adminPointsData struct {
	Q       string
	Level   int
	Kind    string
	Levels  []int
	Kinds   []string
	Points  []network.Point
	Total   int
	From    int // the first row shown, counted from 1
	To      int
	PrevURL string
	NextURL string
}

// pointsPage reads the search, the filters and the page from the address
// and fetches that page.
func (w *Web) pointsPage(r *http.Request) (adminPointsData, error) {
	q := r.URL.Query()
	d := adminPointsData{Q: strings.TrimSpace(q.Get("q")), Kind: q.Get("kind"), Levels: []int{1, 2, 3, 4, 5, 6}}
	for k := range network.KindNames {
		d.Kinds = append(d.Kinds, k)
	}
	slices.Sort(d.Kinds)
	var f apperr.Fields
	if v := q.Get("level"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			f.Add("level", "number", apperr.M("须为整数", "must be a whole number"))
		}
		d.Level = n
	}
	offset, err := offsetOf(r)
	if err != nil {
		return d, err
	}
	if err := f.Err(); err != nil {
		return d, err
	}
	pts, total, err := w.Points.Search(r.Context(), network.Filter{Query: d.Q, Level: d.Level, Kind: d.Kind, Limit: pointsPerPage, Offset: offset})
	if err != nil {
		return d, err
	}
	d.Points, d.Total = pts, total
	if len(pts) > 0 {
		d.From, d.To = offset+1, offset+len(pts)
	}
	v := url.Values{}
	if d.Q != "" {
		v.Set("q", d.Q)
	}
	if d.Level > 0 {
		v.Set("level", strconv.Itoa(d.Level))
	}
	if d.Kind != "" {
		v.Set("kind", d.Kind)
	}
	base := "/admin/points?"
	if len(v) > 0 {
		base += v.Encode() + "&"
	}
	if offset > 0 {
		d.PrevURL = base + "offset=" + strconv.Itoa(max(offset-pointsPerPage, 0))
	}
	if offset+len(pts) < total {
		d.NextURL = base + "offset=" + strconv.Itoa(offset+pointsPerPage)
	}
	return d, nil
}

// adminCases is every case of the province for the administrators: by
// state, where it stands against its limit, its number, department or
// point; paged in SQL, its count read from the counts the database keeps.
var adminCasesSpec = queueSpec{Title: "admin_cases.title", Path: "/admin/cases", SLA: true, Search: true, States: cases.States}

// auditPerPage is the size of a page of the audit log.
const auditPerPage = 50

// adminAuditData is one page of the audit log, newest first, with its
// filters.
type adminAuditData struct {
	Object   string
	Action   string
	Actor    string
	Records  []audit.Record
	NextURL  string // the older records (keyset: seq before the last shown)
	FirstURL string // back to the newest
}

// adminAudit lists the audit log for the administrators: by object
// (case:12), action or actor's username, fifty records at a time, pages
// keyed by sequence number so that no page counts or skips the ones before.
func (w *Web) adminAudit(ctx context.Context, c *call) (answer, error) {
	d := adminAuditData{Object: strings.TrimSpace(c.Query("object")), Action: strings.TrimSpace(c.Query("action")),
		Actor: strings.TrimSpace(c.Query("actor"))}
	f := audit.Filter{Object: d.Object, Action: d.Action, Limit: auditPerPage + 1}
	again := func() answer { return page{Name: "admin_audit", Title: "audit.title", Data: d} }
	if v := c.Query("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return again(), apperr.Fields{apperr.Field("before", "number", apperr.M("页码不正确", "bad page"))}.Err()
		}
		f.Before = n
		d.FirstURL = "/admin/audit?" + d.query().Encode()
	}
	if d.Actor != "" {
		u, err := w.Auth.UserByUsername(ctx, d.Actor)
		if apperr.CodeOf(err) == apperr.NotFound {
			return again(), apperr.Fields{apperr.Field("actor", "unknown", apperr.M("没有这个用户名", "no such username"))}.Err()
		}
		if err != nil {
			return nil, err
		}
		f.ActorID = u.ID
	}
	recs, err := audit.List(ctx, w.DB, f)
	if err != nil {
		return nil, err
	}
	// One more than a page tells whether there are older records.
	if len(recs) > auditPerPage {
		recs = recs[:auditPerPage]
		v := d.query()
		v.Set("before", strconv.FormatInt(recs[len(recs)-1].Seq, 10))
		d.NextURL = "/admin/audit?" + v.Encode()
	}
	d.Records = recs
	return again(), nil
}

func (d adminAuditData) query() url.Values {
	v := url.Values{}
	for k, x := range map[string]string{"object": d.Object, "action": d.Action, "actor": d.Actor} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v
}

// adminExtensionsData is one page of the extension requests waiting for an
// administrator, perhaps of one department.
type adminExtensionsData struct {
	Requests    []cases.PendingRequest
	Department  string
	Departments []catalog.Department
	PrevURL     string
	NextURL     string
}

// adminExtensions lists the extension requests waiting for an
// administrator, the cases due first, thirty at a time.
func (w *Web) adminExtensions(ctx context.Context, c *call) (adminExtensionsData, error) {
	d := adminExtensionsData{Department: c.Query("department")}
	offset, err := offsetOf(c.R)
	if err != nil {
		return d, err
	}
	if d.Departments, err = w.Catalog.Departments(ctx); err != nil {
		return d, err
	}
	list, err := w.Cases.PendingExtensionsWhere(ctx, c.User, cases.ExtensionFilter{Department: d.Department, Limit: casesPerPage + 1, Offset: offset})
	if err != nil {
		return d, err
	}
	// One more than a page tells whether there is a next page.
	base := "/admin/extensions?"
	if d.Department != "" {
		base += "department=" + url.QueryEscape(d.Department) + "&"
	}
	d.PrevURL, d.NextURL = pager(base, offset, min(len(list), casesPerPage), offset+len(list))
	d.Requests = list[:min(len(list), casesPerPage)]
	return d, nil
}

// AuditAction names an action of the audit log: its own label, or for a
// lifecycle's transition (case.accept, enterprise_request.propose) the kind
// of record and the transition's name as its package gives it; an action
// without a name stays its code. The page shows the code beside the label.
func (l Lang) AuditAction(code string) string {
	if p, ok := auditActionNames[code]; ok {
		return l.Pair(p)
	}
	family, action, ok := strings.Cut(code, ".")
	if !ok {
		return code
	}
	var name apperr.Msg
	switch family {
	case "case", "bundle_case":
		name, ok = cases.ActionNames[cases.Action(action)]
	case "enterprise_request":
		name, ok = enterprise.ActionNames[enterprise.Action(action)]
	case "rating_followup":
		name, ok = rating.ActionNames[rating.Action(action)]
	default:
		ok = false
	}
	if !ok {
		return code
	}
	return l.Pair(auditFamilies[family]) + l.T("punct.colon") + capitalise(l.Msg(name))
}

// AuditOutcome names the outcome of an audit record.
func (l Lang) AuditOutcome(outcome string) string {
	switch outcome {
	case audit.OK:
		return l.T("audit.outcome_ok")
	case audit.Denied:
		return l.T("audit.outcome_denied")
	case audit.Failed:
		return l.T("audit.outcome_failed")
	}
	return outcome
}
