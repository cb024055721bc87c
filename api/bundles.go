package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
)

func (s *Server) registerBundleRoutes() {
	s.handle("GET", "/api/v1/bundles", false, s.listBundles)
	s.handle("POST", "/api/v1/bundles", true, serve(http.StatusCreated, admins, s.saveBundleDraft))
	s.handle("GET", "/api/v1/bundles/{code}", false, s.bundleGuide)
	s.handle("POST", "/api/v1/bundles/{code}/versions/{version}/publish", true, serve(http.StatusOK, admins, s.publishBundle))
	s.handle("POST", "/api/v1/bundle-cases", true, s.createBundleCase)
	s.handle("GET", "/api/v1/bundle-cases", true, s.listBundleCases)
	s.handle("GET", "/api/v1/bundle-cases/{id}", true, s.getBundleCase)
	s.handle("GET", "/api/v1/bundle-cases/{id}/notice", true, s.bundleNotice)
	s.handle("POST", "/api/v1/bundle-cases/{id}/reveal", true, s.revealBundleIdentity)
	s.handle("POST", "/api/v1/bundle-cases/{id}/actions/{action}", true, s.actOnBundle)
}

func (s *Server) listBundles(w http.ResponseWriter, r *http.Request) error {
	bs, err := s.Catalog.Bundles(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page[catalog.Bundle]{Items: bs, Total: len(bs), Limit: len(bs)})
	return nil
}

// bundleGuide is what the applicant must bring and answer: the bundle's
// 一次性告知, with one set of materials and one form for every member.
func (s *Server) bundleGuide(w http.ResponseWriter, r *http.Request) error {
	b, err := s.Catalog.PublishedBundle(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	g, err := s.Catalog.Guide(r.Context(), b)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, g)
	return nil
}

func (s *Server) saveBundleDraft(ctx context.Context, c call[catalog.Bundle]) (catalog.Bundle, error) {
	return s.Catalog.SaveBundleDraft(ctx, c.Actor, c.In)
}

func (s *Server) publishBundle(ctx context.Context, c call[noBody]) (catalog.Bundle, error) {
	v, err := pathID(c.R, "version")
	if err != nil {
		return catalog.Bundle{}, err
	}
	return s.Catalog.PublishBundle(ctx, c.Actor, c.R.PathValue("code"), int(v))
}

func (s *Server) createBundleCase(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	return s.idempotent(w, r, u, func(ctx context.Context, body []byte) (int, any, error) {
		var req cases.BundleCreateRequest
		if err := decodeBytes(body, &req); err != nil {
			return 0, nil, err
		}
		b, err := s.Cases.CreateBundleCase(ctx, u, req)
		if err != nil {
			return 0, nil, err
		}
		w.Header().Set("Location", "/api/v1/bundle-cases/"+strconv.FormatInt(b.ID, 10))
		return http.StatusCreated, b, nil
	}, func(ctx context.Context, ref string) (int, any, error) {
		id, err := refID(ref, "bundle_case")
		if err != nil {
			return 0, nil, err
		}
		b, err := s.Cases.GetBundleCase(ctx, u, id)
		if err != nil {
			return 0, nil, err
		}
		w.Header().Set("Location", "/api/v1/bundle-cases/"+strconv.FormatInt(b.ID, 10))
		return http.StatusCreated, b.ShownTo(u), nil
	})
}

func (s *Server) listBundleCases(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	limit, err := queryInt(r, "limit", 20, 1, 200)
	if err != nil {
		return err
	}
	offset, err := queryInt(r, "offset", 0, 0, 1<<30)
	if err != nil {
		return err
	}
	list, total, err := s.Cases.ListBundleCases(r.Context(), u, limit, offset)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page[cases.BundleCase]{Items: list, Total: total, Limit: limit, Offset: offset})
	return nil
}

func (s *Server) getBundleCase(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	b, err := s.Cases.GetBundleCase(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b.ShownTo(u))
	return nil
}

// revealBundleIdentity answers with a bundle applicant's numbers whole, audited
// (see revealIdentity).
func (s *Server) revealBundleIdentity(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a, err := s.Cases.RevealBundleIdentity(r.Context(), u, id, s.clientIP(r))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, a)
	return nil
}

// bundleNotice is the combined 补正 notice: every member waiting for the applicant.
func (s *Server) bundleNotice(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	b, err := s.Cases.GetBundleCase(r.Context(), u, id)
	if err != nil {
		return err
	}
	n, err := s.Cases.BundleNotice(r.Context(), nil, &b)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page[cases.SupplementRequest]{Items: n, Total: len(n), Limit: len(n)})
	return nil
}

func (s *Server) actOnBundle(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req cases.ActRequest
	if r.ContentLength != 0 {
		if err := decodeJSON(w, r, &req); err != nil {
			return err
		}
	}
	b, err := s.Cases.ActOnBundle(r.Context(), u, id, cases.Action(r.PathValue("action")), req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, b.ShownTo(u))
	return nil
}
