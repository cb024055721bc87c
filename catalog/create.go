package catalog

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
)

// CreateItem stores a new item as draft version 1. It is SaveDraft for a
// code the catalogue does not hold yet: a form that creates an item must not
// turn into a new version of another item because its code was mistyped. A
// code in use is an Invalid error on the field "code", reported together
// with the item's other problems.
//
// The check and the save are two steps, so two administrators creating the
// same code at the same instant both succeed, the second as version 2 of the
// first: a draft either can see and discard by editing, never a lost or
// half-written item.
func (s *Store) CreateItem(ctx context.Context, actor auth.User, it Item) (Item, error) {
	if err := auth.RequireAdmin(actor); err != nil {
		return Item{}, err
	}
	var f apperr.Fields
	code := strings.TrimSpace(it.Code)
	if code != "" {
		var one int
		err := s.db.QueryRowContext(ctx, `SELECT 1 FROM items WHERE code = ?`, code).Scan(&one)
		switch {
		case err == nil:
			f.Add("code", "duplicate", apperr.M("该实施编码已被事项使用，请换一个编码，或编辑该事项", "another item has this code; choose another, or edit that item"))
		case !errors.Is(err, sql.ErrNoRows):
			return Item{}, apperr.Wrap(err, "catalog: check item code")
		}
	}
	check := cloneItems([]Item{it})[0]
	check.Normalize()
	if err := check.Validate(); err != nil {
		f = append(f, apperr.As(err).Fields...)
	}
	if len(f) > 0 {
		sortFields(f)
		return Item{}, f.Err()
	}
	return s.saveDraft(ctx, actor, it, "item.create")
}
