package cases

import (
	"context"
	"slices"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/store"
)

// AddMaterial records an uploaded or declared material on an open case.
// The file itself is stored by the caller (by content hash) before this.
func (s *Service) AddMaterial(ctx context.Context, actor auth.User, id int64, m Material) (Case, error) {
	return s.AddMaterialWith(ctx, actor, id, m, nil)
}

// AddMaterialWith is AddMaterial that also runs also (when not nil) in the
// same transaction, after the case is loaded and checked and before the
// material is stored: package licence records a 免提交 reference and its
// consent this way, and an error from also leaves the case unchanged.
func (s *Service) AddMaterialWith(ctx context.Context, actor auth.User, id int64, m Material, also func(ctx context.Context, tx *store.Tx, c Case, it catalog.Item, m *Material) error) (Case, error) {
	now := s.storedNow()
	var out Case
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		c, err := s.load(ctx, tx, id, true)
		if err != nil {
			return err
		}
		it, err := s.materialAllowed(ctx, actor, &c, m.Type)
		if err != nil {
			return err
		}
		m.Name = materialOf(&it, m.Type).Name
		m.AddedBy, m.AddedAt = actor.ID, now
		if also != nil {
			if err := also(ctx, tx, c, it, &m); err != nil {
				return err
			}
		}
		if err := putMaterial(ctx, tx, c.ID, m); err != nil {
			return err
		}
		c.UpdatedAt = now
		if err := updateCase(ctx, tx, &c); err != nil {
			return err
		}
		data := map[string]any{"type": m.Type, "source": m.Source, "file_hash": m.FileHash, "size": m.Size, "file_name": m.FileName}
		if err := s.record(ctx, tx, actor, &c, "add_material", c.State, c.State, "", data); err != nil {
			return err
		}
		if c.Materials, err = caseMaterials(ctx, tx, c.ID); err != nil {
			return err
		}
		out = c
		return nil
	})
	if err != nil {
		return Case{}, err
	}
	return out, nil
}

// CanAddMaterial tells, without writing anything, whether actor may add a
// material of type typ to case id: the API asks before storing an upload.
func (s *Service) CanAddMaterial(ctx context.Context, actor auth.User, id int64, typ string) error {
	c, err := s.load(ctx, s.db, id, false)
	if err != nil {
		return err
	}
	_, err = s.materialAllowed(ctx, actor, &c, typ)
	return err
}

func (s *Service) materialAllowed(ctx context.Context, actor auth.User, c *Case, typ string) (catalog.Item, error) {
	if err := s.checkScope(actor, c); err != nil {
		return catalog.Item{}, err
	}
	if actor.Role != RoleApplicant && actor.Role != RoleFrontDesk {
		e := apperr.RoleNotAllowed(apperr.M("您的角色不能提交材料", "your role may not add materials"))
		return catalog.Item{}, e
	}
	if c.State.Final() || c.State == Approved || c.State == Refused || c.State == ReadyForIssue || c.State == Issued {
		return catalog.Item{}, apperr.New(apperr.Conflict, "illegal_transition", apperr.M("案件当前状态不能再提交材料", "materials can no longer be added to this case")).With("state", c.State)
	}
	it, err := s.catalog.Version(ctx, c.ItemCode, c.ItemVersion)
	if err != nil {
		return catalog.Item{}, err
	}
	if !slices.ContainsFunc(it.Materials, func(im catalog.Material) bool { return im.Type == typ }) {
		return catalog.Item{}, apperr.Fields{apperr.Field("type", "unknown_type", apperr.M("本事项不需要材料："+typ, "this item does not ask for material: "+typ))}.Err()
	}
	return it, nil
}

// Check returns the materials check of a case as it stands: what the
// 一次性告知书 would list.
func (s *Service) Check(ctx context.Context, actor auth.User, id int64) (MaterialCheck, error) {
	c, err := s.Get(ctx, actor, id)
	if err != nil {
		return MaterialCheck{}, err
	}
	it, err := s.catalog.Version(ctx, c.ItemCode, c.ItemVersion)
	if err != nil {
		return MaterialCheck{}, err
	}
	var types []string
	for _, m := range c.Materials {
		types = append(types, m.Type)
	}
	return CheckMaterials(&it, types), nil
}
