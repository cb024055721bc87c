package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/filestore"
)

func (s *Server) registerBundleRoutes() {
	s.handle("GET", "/api/v1/bundles", false, serve(http.StatusOK, nil, s.listBundles))
	s.handle("POST", "/api/v1/bundles", true, serve(http.StatusCreated, admins, s.saveBundleDraft))
	s.handle("GET", "/api/v1/bundles/{code}", false, serve(http.StatusOK, nil, s.bundleGuide))
	s.handle("POST", "/api/v1/bundles/{code}/versions/{version}/publish", true, serve(http.StatusOK, admins, s.publishBundle))
	s.handle("POST", "/api/v1/bundle-cases", true, serveOnce(s, "bundle_case", s.createBundleCase, s.reloadBundleCase))
	s.handle("GET", "/api/v1/bundle-cases", true, serve(http.StatusOK, nil, s.listBundleCases))
	s.handle("GET", "/api/v1/bundle-cases/{id}", true, serve(http.StatusOK, nil, s.getBundleCase))
	s.handle("GET", "/api/v1/bundle-cases/{id}/notice", true, serve(http.StatusOK, nil, s.bundleNotice))
	s.handle("POST", "/api/v1/bundle-cases/{id}/reveal", true, serve(http.StatusOK, nil, s.revealBundleIdentity))
	s.handle("POST", "/api/v1/bundle-cases/{id}/actions/{action}", true, serve(http.StatusOK, nil, s.actOnBundle))
	s.handle("PUT", "/api/v1/bundle-cases/{id}/files/{type}", true, serve(http.StatusOK, nil, s.uploadBundleFile))
}

func (s *Server) listBundles(ctx context.Context, _ call[noBody]) (page[catalog.Bundle], error) {
	bs, err := s.Catalog.Bundles(ctx)
	return all(bs), err
}

// bundleGuide is what the applicant must bring and answer: the bundle's
// 一次性告知, with one set of materials and one form for every member.
func (s *Server) bundleGuide(ctx context.Context, c call[noBody]) (catalog.BundleGuide, error) {
	b, err := s.Catalog.PublishedBundle(ctx, c.Path("code"))
	if err != nil {
		return catalog.BundleGuide{}, err
	}
	return s.Catalog.Guide(ctx, b)
}

func (s *Server) saveBundleDraft(ctx context.Context, c call[catalog.Bundle]) (catalog.Bundle, error) {
	return s.Catalog.SaveBundleDraft(ctx, c.Actor, c.In)
}

func (s *Server) publishBundle(ctx context.Context, c call[noBody]) (catalog.Bundle, error) {
	v, err := pathID(c.R, "version")
	if err != nil {
		return catalog.Bundle{}, err
	}
	return s.Catalog.PublishBundle(ctx, c.Actor, c.Path("code"), int(v))
}

// bundleCaseURL is where a bundle application is read.
func bundleCaseURL(h http.Header, id int64) {
	h.Set("Location", "/api/v1/bundle-cases/"+strconv.FormatInt(id, 10))
}

func (s *Server) createBundleCase(ctx context.Context, c call[cases.BundleCreateRequest]) (cases.BundleCase, error) {
	b, err := s.Cases.CreateBundleCase(ctx, c.Actor, c.In)
	if err == nil {
		bundleCaseURL(c.Header, b.ID)
	}
	return b, err
}

// reloadBundleCase answers a retried creation with the application the first made.
func (s *Server) reloadBundleCase(ctx context.Context, c call[noBody]) (cases.BundleCase, error) {
	b, err := s.getBundleCase(ctx, c)
	if err == nil {
		bundleCaseURL(c.Header, b.ID)
	}
	return b, err
}

func (s *Server) listBundleCases(ctx context.Context, c call[noBody]) (page[cases.BundleCase], error) {
	limit, offset, err := paging(c.R, 20, 200)
	if err != nil {
		return page[cases.BundleCase]{}, err
	}
	list, total, err := s.Cases.ListBundleCases(ctx, c.Actor, limit, offset)
	return page[cases.BundleCase]{Items: list, Total: total, Limit: limit, Offset: offset}, err
}

func (s *Server) getBundleCase(ctx context.Context, c call[noBody]) (cases.BundleCase, error) {
	return shownBundle(c.Actor)(s.Cases.GetBundleCase(ctx, c.Actor, c.ID))
}

// shownBundle turns a service's answer into the bundle application its actor sees.
func shownBundle(u auth.User) func(cases.BundleCase, error) (cases.BundleCase, error) {
	return func(b cases.BundleCase, err error) (cases.BundleCase, error) {
		if err != nil {
			return cases.BundleCase{}, err
		}
		return b.ShownTo(u), nil
	}
}

// revealBundleIdentity answers with a bundle applicant's numbers whole, audited
// (see revealIdentity).
func (s *Server) revealBundleIdentity(ctx context.Context, c call[noBody]) (cases.Identity, error) {
	return noStore[cases.Identity](c.Header)(s.Cases.RevealBundleIdentity(ctx, c.Actor, c.ID, s.clientIP(c.R)))
}

// bundleNotice is the combined 补正 notice: every member waiting for the applicant.
func (s *Server) bundleNotice(ctx context.Context, c call[noBody]) (page[cases.SupplementRequest], error) {
	b, err := s.Cases.GetBundleCase(ctx, c.Actor, c.ID)
	if err != nil {
		return page[cases.SupplementRequest]{}, err
	}
	n, err := s.Cases.BundleNotice(ctx, nil, &b)
	return page[cases.SupplementRequest]{Items: n, Total: len(n), Limit: len(n)}, err
}

// actOnBundle applies a bundle action; an issue at the window carries its
// collector, whose signature is stored here as for one case.
func (s *Server) actOnBundle(ctx context.Context, c call[maybe[cases.ActRequest]]) (cases.BundleCase, error) {
	req := c.In.Body
	if err := s.storeSignature(&req); err != nil {
		return cases.BundleCase{}, err
	}
	return shownBundle(c.Actor)(s.Cases.ActOnBundle(ctx, c.Actor, c.ID, cases.Action(c.Path("action")), req))
}

// uploadBundleFile adds the file of one merged material to a bundle
// application not yet accepted (the body is the file, as for a case).
func (s *Server) uploadBundleFile(ctx context.Context, c call[upload]) (cases.BundleCase, error) {
	// Check everything that could refuse it before writing anything to disk.
	if err := s.Cases.CanAddBundleFile(ctx, c.Actor, c.ID, c.Path("type")); err != nil {
		return cases.BundleCase{}, err
	}
	hash, err := filestore.Store{Dir: s.UploadDir}.Put(c.In.Data)
	if err != nil {
		return cases.BundleCase{}, err
	}
	return shownBundle(c.Actor)(s.Cases.AddBundleFile(ctx, c.Actor, c.ID, cases.Material{Type: c.Path("type"), Source: cases.SourceUpload,
		FileName: c.In.Name, FileHash: hash, ContentType: c.In.ContentType, Size: int64(len(c.In.Data))}, nil))
}
