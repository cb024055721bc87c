package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/buildinfo"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/network"
)

func (s *Server) registerRoutes() {
	// Liveness, with the build the process runs: its release version,
	// revision and revision time (buildinfo).
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		writeJSON(w, http.StatusOK, struct {
			Status string `json:"status"`
			buildinfo.Info
		}{"ok", s.build})
	})
	s.mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if err := s.DB.Ping(r.Context()); err != nil {
			s.writeProblem(w, r, apperr.New(apperr.Unavailable, "database_unavailable", apperr.M("数据库不可用", "the database is not reachable")))
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ready\n"))
	})
	s.handle("GET", "/api/v1/openapi.json", false, s.openAPI)

	s.handle("POST", "/api/v1/auth/login", false, s.login)
	s.handle("POST", "/api/v1/auth/logout", true, s.logout)
	s.handle("GET", "/api/v1/me", true, serve(http.StatusOK, nil, s.me))

	s.handle("GET", "/api/v1/departments", false, s.listDepartments)
	s.handle("POST", "/api/v1/departments", true, serve(http.StatusOK, admins, s.putDepartment))
	s.handle("GET", "/api/v1/items", false, s.searchItems)
	s.handle("POST", "/api/v1/items", true, serve(http.StatusCreated, admins, s.saveItemDraft))
	s.handle("GET", "/api/v1/items/{code}", false, s.getItem)
	s.handle("GET", "/api/v1/items/{code}/versions/{version}", false, s.getItemVersion)
	s.handle("POST", "/api/v1/items/{code}/versions/{version}/publish", true, serve(http.StatusOK, admins, s.publishItem))
	s.handle("GET", "/api/v1/items/export", true, s.exportItems)
	s.handle("POST", "/api/v1/items/import", true, s.importItems)
	s.handle("GET", "/api/v1/points", false, s.listPoints)
	s.handle("POST", "/api/v1/points", true, serve(http.StatusOK, admins, s.putPoint))

	s.handle("POST", "/api/v1/users", true, serve(http.StatusCreated, admins, s.addUser))
	s.handle("GET", "/api/v1/users", true, s.listUsers)

	s.handle("POST", "/api/v1/cases", true, s.createCase)
	s.handle("GET", "/api/v1/cases", true, s.listCases)
	s.handle("GET", "/api/v1/case-numbers/{number}", true, serve(http.StatusOK, nil, s.getCaseByNumber))
	s.handle("GET", "/api/v1/cases/{id}", true, serve(http.StatusOK, nil, s.getCase))
	s.handle("GET", "/api/v1/cases/{id}/events", true, serve(http.StatusOK, nil, s.caseEvents))
	s.handle("GET", "/api/v1/cases/{id}/check", true, serve(http.StatusOK, nil, s.caseCheck))
	s.handle("POST", "/api/v1/cases/{id}/reveal", true, s.revealIdentity)
	s.handle("POST", "/api/v1/cases/{id}/materials", true, s.declareMaterial)
	s.handle("PUT", "/api/v1/cases/{id}/materials/{type}", true, s.uploadMaterial)
	s.handle("POST", "/api/v1/cases/{id}/actions/{action}", true, s.caseAction)
	s.handle("POST", "/api/v1/cases/{id}/extension-requests", true, s.requestExtension)
	s.handle("POST", "/api/v1/cases/{id}/extension-requests/refuse", true, s.refuseExtension)
	s.handle("GET", "/api/v1/cases/{id}/documents", true, s.caseDocuments)
	s.handle("GET", "/api/v1/cases/{id}/documents/{kind}", true, s.caseDocument)
	s.handle("GET", "/api/v1/verify/{code}", false, s.verify)

	s.handle("GET", "/api/v1/audit", true, s.listAudit)
	s.handle("GET", "/api/v1/audit/verify", true, s.verifyAudit)
	s.registerSLARoutes()
	s.registerBundleRoutes()
	// The optional capabilities' routes exist only on a server that has them.
	if s.Enterprise != nil {
		s.registerEnterpriseRoutes()
	}
	s.registerFinanceRoutes()
	if s.Hall != nil {
		s.registerHallRoutes()
	}
	if s.Coverage != nil {
		s.registerCoverageRoutes()
	}
	s.registerFiguresRoutes()
	s.registerAccountRoutes()
	s.registerDelegationRoutes()
	if s.Ratings != nil {
		s.registerRatingRoutes()
	}
	s.registerNotificationRoutes()
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if s.Web != nil && !strings.HasPrefix(r.URL.Path, "/api/") {
			s.Web.ServeHTTP(w, r)
			return
		}
		if allowed := s.methodsFor(r); len(allowed) > 0 {
			w.Header().Set("Allow", strings.Join(allowed, ", "))
			s.writeProblem(w, r, apperr.New(apperr.MethodNotAllowed, "method_not_allowed", apperr.M("该地址不支持此请求方法", "this address does not take this method")))
			return
		}
		s.writeProblem(w, r, apperr.NotFoundf("no_such_route", apperr.M("没有这个地址", "no such address")))
	})
}

// methodsFor lists the methods another route takes at r's path, so that a
// wrong method gets 405 rather than the catch-all's 404.
func (s *Server) methodsFor(r *http.Request) []string {
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
		if m == r.Method {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "/" {
			out = append(out, m)
		}
	}
	return out
}

// requireRole refuses users of other roles before a request is read (the
// services refuse them again: they are the authority); the refusal is audited.
func requireRole(r *http.Request, roles ...auth.Role) (auth.User, error) {
	u, _ := actor(r)
	return u, auth.Require(u, roles...)
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type loginResponse struct {
	Token string    `json:"token"`
	User  auth.User `json:"user"`
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	var req loginRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	attempt, err := s.Limiter.BeginLogin(auth.NormalizeUsername(req.Username), s.clientIP(r))
	if err != nil {
		return err
	}
	token, u, err := s.Auth.LoginWith(r.Context(), req.Username, req.Password,
		auth.TokenInfo{Kind: auth.TokenAPI, Label: r.UserAgent(), Client: s.clientIP(r)})
	if err != nil {
		if apperr.CodeOf(err) == apperr.Unauthorized {
			attempt.Failed()
			s.auditLogin(r, auth.User{Username: req.Username}, audit.Failed)
		} else {
			attempt.Abandoned()
		}
		return err
	}
	attempt.Succeeded()
	s.auditLogin(r, u, audit.OK)
	writeJSON(w, http.StatusOK, loginResponse{Token: token, User: u})
	return nil
}

// auditLogin records sign-ins, failed ones included, without the password.
func (s *Server) auditLogin(r *http.Request, u auth.User, outcome string) {
	name := u.Username
	if len(name) > 64 {
		name = strings.ToValidUTF8(name[:64], "")
	}
	if _, err := audit.AppendNow(r.Context(), s.DB, audit.Record{At: s.Clock.Now(), ActorID: u.ID, Actor: name, Role: string(u.Role),
		Action: "auth.login", Object: "user:" + name, Outcome: outcome, IP: s.clientIP(r)}); err != nil {
		s.log.Error("audit login", "err", err)
	}
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	token := strings.TrimSpace(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	if err := s.Auth.Logout(r.Context(), token); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) me(_ context.Context, c call[noBody]) (auth.User, error) { return c.Actor, nil }

func (s *Server) listDepartments(w http.ResponseWriter, r *http.Request) error {
	ds, err := s.Catalog.Departments(r.Context())
	if err != nil {
		return err
	}
	if ds == nil {
		ds = []catalog.Department{}
	}
	writeJSON(w, http.StatusOK, page[catalog.Department]{Items: ds, Total: len(ds), Limit: len(ds)})
	return nil
}

func (s *Server) putDepartment(ctx context.Context, c call[catalog.Department]) (catalog.Department, error) {
	return c.In, s.Catalog.PutDepartment(ctx, c.Actor, c.In)
}

func (s *Server) searchItems(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	limit, err := queryInt(r, "limit", 20, 1, 200)
	if err != nil {
		return err
	}
	offset, err := queryInt(r, "offset", 0, 0, 1<<30)
	if err != nil {
		return err
	}
	level, err := queryInt(r, "level", 0, 0, 6)
	if err != nil {
		return err
	}
	f := catalog.Filter{Query: q.Get("q"), Department: q.Get("department"), Level: level, LifeEvent: q.Get("life_event"),
		Limit: limit, Offset: offset}
	switch q.Get("fully_online") {
	case "":
	case "true", "1":
		t := true
		f.FullyOnline = &t
	case "false", "0":
		fl := false
		f.FullyOnline = &fl
	default:
		return apperr.Fields{apperr.Field("fully_online", "format", apperr.M("须为 true 或 false", "must be true or false"))}.Err()
	}
	items, total, err := s.Catalog.Search(r.Context(), f)
	if err != nil {
		return err
	}
	if items == nil {
		items = []catalog.Item{}
	}
	writeJSON(w, http.StatusOK, page[catalog.Item]{Items: items, Total: total, Limit: limit, Offset: offset})
	return nil
}

// itemView adds what a reader of the guide wants to know at a glance.
type itemView struct {
	catalog.Item
	FullyOnline bool `json:"fully_online"`
}

func (s *Server) getItem(w http.ResponseWriter, r *http.Request) error {
	it, err := s.Catalog.Published(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, itemView{Item: it, FullyOnline: it.FullyOnline()})
	return nil
}

func (s *Server) getItemVersion(w http.ResponseWriter, r *http.Request) error {
	v, err := pathID(r, "version")
	if err != nil {
		return err
	}
	it, err := s.Catalog.Version(r.Context(), r.PathValue("code"), int(v))
	if err != nil {
		return err
	}
	if it.Status == catalog.StatusDraft {
		// Drafts are the administrators' work in progress.
		if u, aerr := s.authenticate(r); aerr != nil || u.Role != auth.RoleAdmin {
			return apperr.NotFoundf("item_not_found", apperr.M("事项版本不存在", "no such item version"))
		}
	}
	writeJSON(w, http.StatusOK, itemView{Item: it, FullyOnline: it.FullyOnline()})
	return nil
}

func (s *Server) saveItemDraft(ctx context.Context, c call[catalog.Item]) (catalog.Item, error) {
	return s.Catalog.SaveDraft(ctx, c.Actor, c.In)
}

func (s *Server) publishItem(ctx context.Context, c call[noBody]) (catalog.Item, error) {
	v, err := pathID(c.R, "version")
	if err != nil {
		return catalog.Item{}, err
	}
	return s.Catalog.Publish(ctx, c.Actor, c.R.PathValue("code"), int(v))
}

func (s *Server) listPoints(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.Points.List(r.Context())
	if err != nil {
		return err
	}
	if ps == nil {
		ps = []network.Point{}
	}
	writeJSON(w, http.StatusOK, page[network.Point]{Items: ps, Total: len(ps), Limit: len(ps)})
	return nil
}

func (s *Server) putPoint(ctx context.Context, c call[network.Point]) (network.Point, error) {
	return s.Points.Put(ctx, c.Actor, c.In)
}

type addUserRequest struct {
	auth.User
	Password string `json:"password"`
}

func (s *Server) addUser(ctx context.Context, c call[addUserRequest]) (auth.User, error) {
	return s.Auth.AddUser(ctx, c.Actor, c.In.User, c.In.Password)
}

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireRole(r, auth.RoleAdmin); err != nil {
		return err
	}
	limit, err := queryInt(r, "limit", 50, 1, 500)
	if err != nil {
		return err
	}
	offset, err := queryInt(r, "offset", 0, 0, 1<<30)
	if err != nil {
		return err
	}
	f := auth.UserFilter{Role: auth.Role(r.URL.Query().Get("role")), Limit: limit, Offset: offset}
	us, err := s.Auth.Users(r.Context(), f)
	if err != nil {
		return err
	}
	if us == nil {
		us = []auth.User{}
	}
	total, err := s.Auth.CountUsers(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page[auth.User]{Items: us, Total: total, Limit: limit, Offset: offset})
	return nil
}

func (s *Server) listAudit(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireRole(r, auth.RoleAdmin); err != nil {
		return err
	}
	limit, err := queryInt(r, "limit", 50, 1, 500)
	if err != nil {
		return err
	}
	before, err := queryInt(r, "before", 0, 0, 1<<62)
	if err != nil {
		return err
	}
	recs, err := audit.List(r.Context(), s.DB, audit.Filter{Object: r.URL.Query().Get("object"), Before: int64(before), Limit: limit})
	if err != nil {
		return err
	}
	if recs == nil {
		recs = []audit.Record{}
	}
	// Newest first; pass the last seq as ?before= for the next page.
	writeJSON(w, http.StatusOK, page[audit.Record]{Items: recs, Total: len(recs), Limit: limit})
	return nil
}

func (s *Server) verifyAudit(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireRole(r, auth.RoleAdmin); err != nil {
		return err
	}
	n, err := audit.Verify(r.Context(), s.DB)
	if err != nil {
		writeJSON(w, http.StatusOK, map[string]any{"intact": false, "records": n, "problem": err.Error()})
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]any{"intact": true, "records": n})
	return nil
}

func (s *Server) verify(w http.ResponseWriter, r *http.Request) error {
	v, err := s.Cases.Verify(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}
