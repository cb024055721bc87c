package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/buildinfo"
	"github.com/onewindow/onewindow/cases"
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
	s.handle("GET", "/api/v1/openapi.json", false, serve(http.StatusOK, nil, s.openAPI))

	s.handle("POST", "/api/v1/auth/login", false, serve(http.StatusOK, nil, s.login))
	s.handle("POST", "/api/v1/auth/logout", true, serve(http.StatusNoContent, nil, s.logout))
	s.handle("GET", "/api/v1/me", true, serve(http.StatusOK, nil, s.me))

	s.handle("GET", "/api/v1/departments", false, serve(http.StatusOK, nil, s.listDepartments))
	s.handle("POST", "/api/v1/departments", true, serve(http.StatusOK, admins, s.putDepartment))
	s.handle("GET", "/api/v1/items", false, serve(http.StatusOK, nil, s.searchItems))
	s.handle("POST", "/api/v1/items", true, serve(http.StatusCreated, admins, s.saveItemDraft))
	s.handle("GET", "/api/v1/items/{code}", false, serve(http.StatusOK, nil, s.getItem))
	s.handle("GET", "/api/v1/items/{code}/versions/{version}", false, serve(http.StatusOK, nil, s.getItemVersion))
	s.handle("POST", "/api/v1/items/{code}/versions/{version}/publish", true, serve(http.StatusOK, admins, s.publishItem))
	s.handle("GET", "/api/v1/items/export", true, serve(http.StatusOK, admins, s.exportItems))
	s.handle("POST", "/api/v1/items/import", true, serve(http.StatusOK, admins, s.importItems))
	s.handle("GET", "/api/v1/points", false, serve(http.StatusOK, nil, s.listPoints))
	s.handle("POST", "/api/v1/points", true, serve(http.StatusOK, admins, s.putPoint))

	s.handle("POST", "/api/v1/users", true, serve(http.StatusCreated, admins, s.addUser))
	s.handle("GET", "/api/v1/users", true, serve(http.StatusOK, admins, s.listUsers))

	s.handle("POST", "/api/v1/cases", true, serveOnce(s, "case", s.createCase, s.reloadCase))
	s.handle("GET", "/api/v1/cases", true, serve(http.StatusOK, nil, s.listCases))
	s.handle("GET", "/api/v1/case-numbers/{number}", true, serve(http.StatusOK, nil, s.getCaseByNumber))
	s.handle("GET", "/api/v1/cases/{id}", true, serve(http.StatusOK, nil, s.getCase))
	s.handle("GET", "/api/v1/cases/{id}/events", true, serve(http.StatusOK, nil, s.caseEvents))
	s.handle("GET", "/api/v1/cases/{id}/check", true, serve(http.StatusOK, nil, s.caseCheck))
	s.handle("POST", "/api/v1/cases/{id}/reveal", true, serve(http.StatusOK, nil, s.revealIdentity))
	s.handle("POST", "/api/v1/cases/{id}/materials", true, serve(http.StatusOK, nil, s.declareMaterial))
	s.handle("PUT", "/api/v1/cases/{id}/materials/{type}", true, serve(http.StatusOK, nil, s.uploadMaterial))
	s.handle("POST", "/api/v1/cases/{id}/actions/{action}", true, serve(http.StatusOK, nil, s.caseAction))
	s.handle("POST", "/api/v1/cases/{id}/extension-requests", true, serve(http.StatusOK, nil, s.requestExtension))
	s.handle("POST", "/api/v1/cases/{id}/extension-requests/refuse", true, serve(http.StatusOK, nil, s.refuseExtension))
	s.handle("GET", "/api/v1/cases/{id}/documents", true, serve(http.StatusOK, nil, s.caseDocuments))
	s.handle("GET", "/api/v1/cases/{id}/documents/{kind}", true, serve(http.StatusOK, nil, s.caseDocument))
	s.handle("GET", "/api/v1/verify/{code}", false, serve(http.StatusOK, nil, s.verify))

	s.handle("GET", "/api/v1/audit", true, serve(http.StatusOK, admins, s.listAudit))
	s.handle("GET", "/api/v1/audit/verify", true, serve(http.StatusOK, admins, s.verifyAudit))
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
	s.registerLicenceRoutes()
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

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type loginResponse struct {
	Token string    `json:"token"`
	User  auth.User `json:"user"`
}

func (s *Server) login(ctx context.Context, c call[loginRequest]) (loginResponse, error) {
	in, r := c.In, c.R
	attempt, err := s.Limiter.BeginLogin(auth.NormalizeUsername(in.Username), s.clientIP(r))
	if err != nil {
		return loginResponse{}, err
	}
	token, u, err := s.Auth.LoginWith(ctx, in.Username, in.Password,
		auth.TokenInfo{Kind: auth.TokenAPI, Label: r.UserAgent(), Client: s.clientIP(r)})
	if err != nil {
		if apperr.CodeOf(err) == apperr.Unauthorized {
			attempt.Failed()
			s.auditLogin(r, auth.User{Username: in.Username}, audit.Failed)
		} else {
			attempt.Abandoned()
		}
		return loginResponse{}, err
	}
	attempt.Succeeded()
	s.auditLogin(r, u, audit.OK)
	return loginResponse{Token: token, User: u}, nil
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

func (s *Server) logout(ctx context.Context, c call[noBody]) (noBody, error) {
	token := strings.TrimSpace(strings.TrimPrefix(c.R.Header.Get("Authorization"), "Bearer "))
	return noBody{}, s.Auth.Logout(ctx, token)
}

func (s *Server) me(_ context.Context, c call[noBody]) (auth.User, error) { return c.Actor, nil }

func (s *Server) listDepartments(ctx context.Context, _ call[noBody]) (page[catalog.Department], error) {
	ds, err := s.Catalog.Departments(ctx)
	return all(ds), err
}

func (s *Server) putDepartment(ctx context.Context, c call[catalog.Department]) (catalog.Department, error) {
	return c.In, s.Catalog.PutDepartment(ctx, c.Actor, c.In)
}

func (s *Server) searchItems(ctx context.Context, c call[noBody]) (page[catalog.Item], error) {
	limit, offset, err := paging(c.R, 20, 200)
	if err != nil {
		return page[catalog.Item]{}, err
	}
	level, err := queryInt(c.R, "level", 0, 0, 6)
	if err != nil {
		return page[catalog.Item]{}, err
	}
	f := catalog.Filter{Query: c.Query("q"), Department: c.Query("department"), Level: level, LifeEvent: c.Query("life_event"),
		Limit: limit, Offset: offset}
	if f.FullyOnline, err = queryFlag(c.R, "fully_online"); err != nil {
		return page[catalog.Item]{}, err
	}
	items, total, err := s.Catalog.Search(ctx, f)
	if items == nil {
		items = []catalog.Item{}
	}
	return page[catalog.Item]{Items: items, Total: total, Limit: limit, Offset: offset}, err
}

// itemView adds what a reader of the guide wants to know at a glance.
type itemView struct {
	catalog.Item
	FullyOnline bool `json:"fully_online"`
}

func (s *Server) getItem(ctx context.Context, c call[noBody]) (itemView, error) {
	it, err := s.Catalog.Published(ctx, c.Path("code"))
	return itemView{Item: it, FullyOnline: it.FullyOnline()}, err
}

func (s *Server) getItemVersion(ctx context.Context, c call[noBody]) (itemView, error) {
	v, err := pathID(c.R, "version")
	if err != nil {
		return itemView{}, err
	}
	it, err := s.Catalog.Version(ctx, c.Path("code"), int(v))
	if err != nil {
		return itemView{}, err
	}
	if it.Status == catalog.StatusDraft {
		// Drafts are the administrators' work in progress.
		if u, aerr := s.authenticate(c.R); aerr != nil || u.Role != auth.RoleAdmin {
			return itemView{}, apperr.NotFoundf("item_not_found", apperr.M("事项版本不存在", "no such item version"))
		}
	}
	return itemView{Item: it, FullyOnline: it.FullyOnline()}, nil
}

func (s *Server) saveItemDraft(ctx context.Context, c call[catalog.Item]) (catalog.Item, error) {
	return s.Catalog.SaveDraft(ctx, c.Actor, c.In)
}

func (s *Server) publishItem(ctx context.Context, c call[noBody]) (catalog.Item, error) {
	v, err := pathID(c.R, "version")
	if err != nil {
		return catalog.Item{}, err
	}
	return s.Catalog.Publish(ctx, c.Actor, c.Path("code"), int(v))
}

func (s *Server) listPoints(ctx context.Context, _ call[noBody]) (page[network.Point], error) {
	ps, err := s.Points.List(ctx)
	return all(ps), err
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

func (s *Server) listUsers(ctx context.Context, c call[noBody]) (page[auth.User], error) {
	limit, offset, err := paging(c.R, 50, 500)
	if err != nil {
		return page[auth.User]{}, err
	}
	f := auth.UserFilter{Role: auth.Role(c.Query("role")), Limit: limit, Offset: offset}
	us, err := s.Auth.Users(ctx, f)
	if err != nil {
		return page[auth.User]{}, err
	}
	if us == nil {
		us = []auth.User{}
	}
	total, err := s.Auth.CountUsers(ctx, f)
	return page[auth.User]{Items: us, Total: total, Limit: limit, Offset: offset}, err
}

func (s *Server) listAudit(ctx context.Context, c call[noBody]) (page[audit.Record], error) {
	limit, err := queryInt(c.R, "limit", 50, 1, 500)
	if err != nil {
		return page[audit.Record]{}, err
	}
	before, err := queryInt(c.R, "before", 0, 0, 1<<62)
	if err != nil {
		return page[audit.Record]{}, err
	}
	recs, err := audit.List(ctx, s.DB, audit.Filter{Object: c.Query("object"), Before: int64(before), Limit: limit})
	if recs == nil {
		recs = []audit.Record{}
	}
	// Newest first; pass the last seq as ?before= for the next page.
	return page[audit.Record]{Items: recs, Total: len(recs), Limit: limit}, err
}

func (s *Server) verifyAudit(ctx context.Context, _ call[noBody]) (map[string]any, error) {
	n, err := audit.Verify(ctx, s.DB)
	if err != nil {
		return map[string]any{"intact": false, "records": n, "problem": err.Error()}, nil
	}
	return map[string]any{"intact": true, "records": n}, nil
}

func (s *Server) verify(ctx context.Context, c call[noBody]) (cases.Verification, error) {
	return s.Cases.Verify(ctx, c.Path("code"))
}

// requireRole refuses users of other roles before a request is read (the
// services refuse them again: they are the authority); the refusal is audited.
func requireRole(r *http.Request, roles ...auth.Role) (auth.User, error) {
	u, _ := actor(r)
	return u, auth.Require(u, roles...)
}
