package licence

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/textlist"
)

// Type is one entry of the 证照目录.
type Type struct {
	Code           string   `json:"code"` // 证照类型代码
	Name           string   `json:"name"`
	NameEN         string   `json:"name_en"`
	DepartmentCode string   `json:"department_code"` // the issuing department (签发机构)
	HolderKind     string   `json:"holder_kind"`     // person | enterprise
	ValidityYears  int      `json:"validity_years"`  // 0: 长期有效
	Items          []string `json:"items"`           // item codes whose result is a licence of this type
}

var typeCodePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)

// CheckType validates a type; it trims and de-duplicates in place.
func CheckType(t *Type) error {
	var f apperr.Fields
	t.Code, t.Name, t.NameEN, t.DepartmentCode = strings.TrimSpace(t.Code), strings.TrimSpace(t.Name), strings.TrimSpace(t.NameEN), strings.TrimSpace(t.DepartmentCode)
	t.Items = textlist.OrEmpty(textlist.Distinct(t.Items))
	if !typeCodePattern.MatchString(t.Code) {
		f.Add("code", "format", apperr.M("证照类型代码为1–64位字母、数字、点、横线或下划线", "code is 1–64 letters, digits, dots, dashes or underscores"))
	}
	if t.Name == "" || utf8.RuneCountInString(t.Name) > 100 {
		f.Add("name", "required", apperr.M("请填写证照名称（不超过100字）", "name is required (at most 100 characters)"))
	}
	if t.NameEN == "" || len(t.NameEN) > 200 {
		f.Add("name_en", "required", apperr.M("请填写英文名称（不超过200字符）", "name_en is required (at most 200 characters)"))
	}
	if t.DepartmentCode == "" || !deptPattern.MatchString(t.DepartmentCode) {
		f.Add("department_code", "required", apperr.M("请填写签发部门代码", "department_code is required"))
	}
	if t.HolderKind != "person" && t.HolderKind != "enterprise" {
		f.Add("holder_kind", "unknown", apperr.M("持证主体须为 person（个人）或 enterprise（企业）", "holder_kind must be person or enterprise"))
	}
	if t.ValidityYears < 0 || t.ValidityYears > 100 {
		f.Add("validity_years", "range", apperr.M("有效期为0–100年（0为长期）", "validity_years is 0–100 (0: no end)"))
	}
	return f.Err()
}

// PutType adds or changes a licence type; administrators only.
func (s *Service) PutType(ctx context.Context, actor auth.User, t Type) (Type, error) {
	if err := auth.RequireAdmin(actor); err != nil {
		return Type{}, err
	}
	if err := CheckType(&t); err != nil {
		return Type{}, err
	}
	now := s.Now()
	items, _ := json.Marshal(t.Items)
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := s.checkItemsFree(ctx, tx, t); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO licence_types (code, name, name_en, department_code, holder_kind, validity_years, items, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, department_code = excluded.department_code,
				holder_kind = excluded.holder_kind, validity_years = excluded.validity_years, items = excluded.items, updated_at = excluded.updated_at`,
			t.Code, t.Name, t.NameEN, t.DepartmentCode, t.HolderKind, t.ValidityYears, string(items), store.FormatTime(now), store.FormatTime(now))
		if err != nil {
			return apperr.Wrap(err, "licence: put type")
		}
		return auth.Record(ctx, tx, now, actor, "licence.type.put", "licence_type:"+t.Code, t)
	})
	if err != nil {
		return Type{}, err
	}
	return t, nil
}

// checkItemsFree refuses an item already yielding a licence of another type:
// an issued case makes at most one licence.
func (s *Service) checkItemsFree(ctx context.Context, q store.Querier, t Type) error {
	types, err := s.listTypes(ctx, q)
	if err != nil {
		return err
	}
	for _, o := range types {
		if o.Code == t.Code {
			continue
		}
		for _, it := range t.Items {
			for _, oi := range o.Items {
				if it == oi {
					return apperr.Fields{apperr.Field("items", "taken", apperr.M("事项 "+it+" 已产生证照 "+o.Code, "item "+it+" already yields licence type "+o.Code))}.Err()
				}
			}
		}
	}
	return nil
}

// Types lists the 证照目录; anyone may read it.
func (s *Service) Types(ctx context.Context) ([]Type, error) { return s.listTypes(ctx, s.db) }

func (s *Service) listTypes(ctx context.Context, q store.Querier) ([]Type, error) {
	rows, err := q.QueryContext(ctx, `SELECT code, name, name_en, department_code, holder_kind, validity_years, items FROM licence_types ORDER BY code`)
	if err != nil {
		return nil, apperr.Wrap(err, "licence: list types")
	}
	defer rows.Close()
	out := []Type{}
	for rows.Next() {
		var t Type
		var items string
		if err := rows.Scan(&t.Code, &t.Name, &t.NameEN, &t.DepartmentCode, &t.HolderKind, &t.ValidityYears, &items); err != nil {
			return nil, apperr.Wrap(err, "licence: list types")
		}
		if err := json.Unmarshal([]byte(items), &t.Items); err != nil {
			return nil, apperr.Wrap(err, "licence: type items")
		}
		out = append(out, t)
	}
	return out, apperr.Wrap(rows.Err(), "licence: list types")
}

// Type returns one licence type.
func (s *Service) Type(ctx context.Context, code string) (Type, error) {
	types, err := s.Types(ctx)
	if err != nil {
		return Type{}, err
	}
	for _, t := range types {
		if t.Code == code {
			return t, nil
		}
	}
	return Type{}, apperr.NotFoundf("licence_type_not_found", apperr.M("没有该证照类型", "no such licence type"))
}

// typeForItem returns the type item's result is, if any.
func (s *Service) typeForItem(ctx context.Context, q store.Querier, item string) (Type, bool, error) {
	types, err := s.listTypes(ctx, q)
	if err != nil {
		return Type{}, false, err
	}
	for _, t := range types {
		for _, it := range t.Items {
			if it == item {
				return t, true, nil
			}
		}
	}
	return Type{}, false, nil
}

var errNoRows = sql.ErrNoRows

func isNoRows(err error) bool { return errors.Is(err, errNoRows) }
