package catalog_test

import (
	"context"
	"testing"

	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/auth/authztest"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/store/storetest"
)

// Every catalogue write is refused to other roles and out of scope, and is
// stored only together with its audit record.
func TestCatalogueWritesAreAuthorizedAndAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := loadRich(t, db)
		exists := func(err error) bool { return err == nil }
		status := func(code string, version int) string {
			it, err := s.Version(ctx, code, version)
			if err != nil {
				return ""
			}
			return it.Status
		}
		if _, err := s.SaveDraft(ctx, auth.System, item("PUB-1", "HN-SCJG", "待发布事项")); err != nil {
			t.Fatal(err)
		}
		bundle := catalog.Bundle{Code: "YJS-A", Name: "授权一件事", LeadDepartment: "HN-SCJG", PromisedLimitDays: 3, OnRefusal: "stop",
			Members: []catalog.BundleMember{{Item: "220523-SCJG-007"}, {Item: "RS-001", DependsOn: []string{"220523-SCJG-007"}}}}
		ready := bundle
		ready.Code = "YJS-B"
		if _, err := s.SaveBundleDraft(ctx, auth.System, ready); err != nil {
			t.Fatal(err)
		}
		bundleStatus := func(code string) string {
			b, err := s.BundleVersion(ctx, code, 1)
			if err != nil {
				return ""
			}
			return b.Status
		}
		writes := []authztest.Write{
			{Name: "PutDepartment", Action: "department.put", Object: "department:HN-NEW",
				Do: func(ctx context.Context, u auth.User) error {
					return s.PutDepartment(ctx, u, catalog.Department{Code: "HN-NEW", Name: "新部门", Kind: "other"})
				},
				Stored: func(*testing.T) bool { _, err := s.Department(ctx, "HN-NEW"); return exists(err) }},
			{Name: "CreateItem", Action: "item.create", Object: "item:NEW-1",
				Do: func(ctx context.Context, u auth.User) error {
					_, err := s.CreateItem(ctx, u, item("NEW-1", "HN-SCJG", "新事项"))
					return err
				},
				Stored: func(*testing.T) bool { return status("NEW-1", 1) == catalog.StatusDraft }},
			{Name: "SaveDraft", Action: "item.draft", Object: "item:DRAFT-2",
				Do: func(ctx context.Context, u auth.User) error {
					_, err := s.SaveDraft(ctx, u, item("DRAFT-2", "HN-SCJG", "草稿事项"))
					return err
				},
				Stored: func(*testing.T) bool { return status("DRAFT-2", 1) == catalog.StatusDraft }},
			{Name: "Publish", Action: "item.publish", Object: "item:PUB-1",
				Do:     func(ctx context.Context, u auth.User) error { _, err := s.Publish(ctx, u, "PUB-1", 1); return err },
				Stored: func(*testing.T) bool { return status("PUB-1", 1) == catalog.StatusPublished }},
			{Name: "Import", Action: "catalog.import", Object: "catalog",
				Do: func(ctx context.Context, u auth.User) error {
					_, err := s.Import(ctx, u, &catalog.Catalogue{Items: []catalog.Item{item("IMP-1", "HN-SCJG", "导入事项")}}, true)
					return err
				},
				Stored: func(*testing.T) bool { return status("IMP-1", 1) == catalog.StatusPublished }},
			{Name: "SaveBundleDraft", Action: "bundle.draft", Object: "bundle:YJS-A",
				Do:     func(ctx context.Context, u auth.User) error { _, err := s.SaveBundleDraft(ctx, u, bundle); return err },
				Stored: func(*testing.T) bool { return bundleStatus("YJS-A") == catalog.StatusDraft }},
			{Name: "PublishBundle", Action: "bundle.publish", Object: "bundle:YJS-B",
				Do: func(ctx context.Context, u auth.User) error {
					_, err := s.PublishBundle(ctx, u, "YJS-B", 1)
					return err
				},
				Stored: func(*testing.T) bool { return bundleStatus("YJS-B") == catalog.StatusPublished }},
		}
		for _, w := range writes {
			authztest.Check(t, db, w)
		}
	})
}

// A bulk load (the demo's catalogue) is held to the same rule: the fixture
// of the test above loads its own catalogue, so this one starts empty.
func TestCatalogueLoadIsAuthorizedAndAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := catalog.NewStore(db)
		dept := catalog.Department{Code: "HN-SCJG", Name: "辉南县市场监督管理局", Kind: "other"}
		authztest.Check(t, db, authztest.Write{Name: "Load", Action: "catalog.load", Object: "catalog",
			Do: func(ctx context.Context, u auth.User) error {
				return s.Load(ctx, u, []catalog.Department{dept}, []catalog.Item{item("LOAD-1", "HN-SCJG", "批量载入事项")}, true)
			},
			Stored: func(*testing.T) bool { _, err := s.Published(ctx, "LOAD-1"); return err == nil }})
	})
}
