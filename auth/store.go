package auth

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/store"
)

// DefaultTokenTTL is how long a login token lives: one working day and a bit.
const DefaultTokenTTL = 12 * time.Hour

// Store keeps users and their tokens.
type Store struct {
	db *store.DB
	// TokenTTL is the lifetime of tokens made by Login (DefaultTokenTTL when zero).
	TokenTTL time.Duration
	// Now is the clock (time.Now when nil); tests move it to expire tokens.
	Now func() time.Time

	// tokens remembers recently authenticated tokens (tokencache.go).
	tokens tokenCache
	// seen remembers tokens that authenticated lately (seen.go).
	seen seenTokens
}

// NewStore returns a Store on db with the default token lifetime.
func NewStore(db *store.DB) *Store {
	return &Store{db: db, TokenTTL: DefaultTokenTTL}
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now() // wall clock: token lifetimes are durations
}

func (s *Store) tokenTTL() time.Duration {
	if s.TokenTTL > 0 {
		return s.TokenTTL
	}
	return DefaultTokenTTL
}

// userColumns is the column list every user query reads, in scanUser's order.
const userColumns = `id, username, name, role, kind, id_number, credit_code, phone,
	department_code, point_code, disabled, created_at, identity_verified, department_head`

type rowScanner interface{ Scan(dest ...any) error }

func scanUser(r rowScanner, extra ...any) (User, error) {
	var u User
	var role, createdAt string
	var verified bool
	dest := append([]any{&u.ID, &u.Username, &u.Name, &role, &u.Kind, &u.IDNumber, &u.CreditCode, &u.Phone,
		&u.DepartmentCode, &u.PointCode, &u.Disabled, &createdAt, &verified, &u.DepartmentHead}, extra...)
	if err := r.Scan(dest...); err != nil {
		return User{}, err
	}
	u.IdentityUnverified = !verified
	u.Role = Role(role)
	u.CreatedAt = store.ParseTime(createdAt)
	return u, nil
}

// Errors are built per call: callers may attach data to them with With.
func errUsernameTaken() error {
	return apperr.New(apperr.Conflict, "username_taken", apperr.M("用户名已被使用，请换一个", "this username is already taken"))
}

// AddUser normalises and validates u, checks the password policy, and stores
// the user with a hash of password. ID and CreatedAt are set by the store.
// Errors: Invalid with field errors; Conflict "username_taken". Only a
// province-wide administrator (or System) adds users; the audit record is
// written in the same transaction.
func (s *Store) AddUser(ctx context.Context, actor User, u User, password string) (User, error) {
	if err := RequireAdmin(actor); err != nil {
		return User{}, err
	}
	u.Normalize()
	var fields apperr.Fields
	if err := u.Validate(); err != nil {
		fields = append(fields, apperr.As(err).Fields...)
	}
	if err := ValidatePassword(password); err != nil {
		fields = append(fields, apperr.As(err).Fields...)
	}
	if err := fields.Err(); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return User{}, apperr.Wrap(err, "auth: add user")
	}
	u.ID = 0
	u.CreatedAt = s.now().UTC().Truncate(time.Microsecond)
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		err := tx.QueryRowContext(ctx, `
			INSERT INTO users (username, name, role, kind, id_number, credit_code, phone,
				department_code, point_code, password_hash, disabled, created_at, department_head)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			RETURNING id`,
			u.Username, u.Name, string(u.Role), u.Kind, u.IDNumber, u.CreditCode, u.Phone,
			u.DepartmentCode, u.PointCode, hash, u.Disabled, store.FormatTime(u.CreatedAt), u.DepartmentHead).Scan(&u.ID)
		if store.IsUniqueViolation(err) {
			return errUsernameTaken()
		}
		if err != nil {
			return apperr.Wrap(err, "auth: add user")
		}
		return Record(ctx, tx, u.CreatedAt, actor, "user.add", "user:"+u.Username, map[string]Role{"role": u.Role})
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}

func errUserNotFound() error {
	return apperr.NotFoundf("user_not_found", apperr.M("用户不存在", "no such user"))
}

// User returns the user with the given ID, or NotFound "user_not_found".
func (s *Store) User(ctx context.Context, id int64) (User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, errUserNotFound()
	}
	if err != nil {
		return User{}, apperr.Wrap(err, "auth: read user")
	}
	return u, nil
}

// UserByUsername returns the user with the given username (any case), or
// NotFound "user_not_found".
func (s *Store) UserByUsername(ctx context.Context, username string) (User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE username = ?`,
		NormalizeUsername(username)))
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, errUserNotFound()
	}
	if err != nil {
		return User{}, apperr.Wrap(err, "auth: read user")
	}
	return u, nil
}

// UserFilter selects users; empty fields select everything.
type UserFilter struct {
	Role           Role
	DepartmentCode string
	PointCode      string
	Disabled       *bool  // nil: both enabled and disabled users
	Query          string // words in the username or the name
	Limit          int    // default 100, at most 1000
	Offset         int
}

const (
	defaultUserLimit = 100
	maxUserLimit     = 1000
)

// where is the condition of f (with its leading WHERE, or empty) and its arguments.
func (f UserFilter) where() (string, []any) {
	var where []string
	var args []any
	if f.Role != "" {
		where, args = append(where, "role = ?"), append(args, string(f.Role))
	}
	if f.DepartmentCode != "" {
		where, args = append(where, "department_code = ?"), append(args, f.DepartmentCode)
	}
	if f.PointCode != "" {
		where, args = append(where, "point_code = ?"), append(args, f.PointCode)
	}
	if f.Disabled != nil {
		where, args = append(where, "disabled = ?"), append(args, *f.Disabled)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(q)) + "%"
		where, args = append(where, `(LOWER(username) LIKE ? ESCAPE '\' OR name LIKE ? ESCAPE '\')`), append(args, like, like)
	}
	if len(where) == 0 {
		return "", nil
	}
	return ` WHERE ` + strings.Join(where, " AND "), args
}

// CountUsers counts every user matching f, whatever its Limit and Offset.
func (s *Store) CountUsers(ctx context.Context, f UserFilter) (int, error) {
	cond, args := f.where()
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM users`+cond, args...).Scan(&n)
	return n, apperr.Wrap(err, "auth: count users")
}

// Users lists users matching f in ID order.
func (s *Store) Users(ctx context.Context, f UserFilter) ([]User, error) {
	cond, args := f.where()
	q := `SELECT ` + userColumns + ` FROM users` + cond
	limit := f.Limit
	if limit <= 0 {
		limit = defaultUserLimit
	}
	limit = min(limit, maxUserLimit)
	q += ` ORDER BY id LIMIT ? OFFSET ?`
	args = append(args, limit, max(f.Offset, 0))
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, apperr.Wrap(err, "auth: list users")
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, apperr.Wrap(err, "auth: list users")
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "auth: list users")
	}
	return out, nil
}

// SetDisabled disables or re-enables a user. Disabling also revokes every
// token of the user, so that the account stops working at once. Only a
// province-wide administrator does it; the change is audited with it.
func (s *Store) SetDisabled(ctx context.Context, actor User, id int64, disabled bool) error {
	if err := RequireAdmin(actor); err != nil {
		return err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		username, err := setUserColumn(ctx, tx, `disabled = ?`, disabled, id)
		if err != nil {
			return err
		}
		action := "user.enable"
		if disabled {
			action = "user.disable"
			if _, err := tx.ExecContext(ctx, `DELETE FROM auth_tokens WHERE user_id = ?`, id); err != nil {
				return err
			}
		}
		return Record(ctx, tx, s.now(), actor, action, "user:"+username, nil)
	})
	s.tokens.forgetUser(id)
	return apperr.Wrap(err, "auth: set disabled")
}

// SetDepartmentHead marks a reviewer as the head (部门负责人) of their
// department, or unmarks them: the head receives the SLA breach notice and
// the escalations that name the department head. A department may have
// more than one (a deputy standing in). Only administrators; audited.
// Errors: NotFound "user_not_found"; Invalid "department_head" on a user
// who is not a reviewer.
func (s *Store) SetDepartmentHead(ctx context.Context, actor User, id int64, head bool) (User, error) {
	if err := RequireAdmin(actor); err != nil {
		return User{}, err
	}
	var u User
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		u, err = scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
		if isNoRows(err) {
			return errUserNotFound()
		}
		if err != nil {
			return err
		}
		if head && u.Role != RoleReviewer {
			return apperr.Fields{apperr.Field("department_head", "not_reviewer",
				apperr.M("只有部门审批人员可以设为部门负责人", "only a department's reviewers can be its head"))}.Err()
		}
		if _, err := setUserColumn(ctx, tx, `department_head = ?`, head, id); err != nil {
			return err
		}
		u.DepartmentHead = head
		return Record(ctx, tx, s.now(), actor, "user.department_head", "user:"+u.Username,
			map[string]any{"department_code": u.DepartmentCode, "department_head": head})
	})
	s.tokens.forgetUser(id)
	return u, apperr.Wrap(err, "auth: set department head")
}

// SetPassword replaces a user's password after checking the policy, and
// revokes every token of the user: whoever knew the old password is out.
// It is an administrator's reset, audited with the change (people change
// their own password through package accounts).
func (s *Store) SetPassword(ctx context.Context, actor User, id int64, password string) error {
	if err := RequireAdmin(actor); err != nil {
		return err
	}
	if err := ValidatePassword(password); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return apperr.Wrap(err, "auth: set password")
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		username, err := setUserColumn(ctx, tx, `password_hash = ?`, hash, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM auth_tokens WHERE user_id = ?`, id); err != nil {
			return err
		}
		return Record(ctx, tx, s.now(), actor, "user.password_reset", "user:"+username, nil)
	})
	s.tokens.forgetUser(id)
	return apperr.Wrap(err, "auth: set password")
}

// setUserColumn sets one column of user id (set is "column = ?") and returns
// the user's username, or NotFound.
func setUserColumn(ctx context.Context, tx *store.Tx, set string, value any, id int64) (string, error) {
	var username string
	err := tx.QueryRowContext(ctx, `UPDATE users SET `+set+` WHERE id = ? RETURNING username`, value, id).Scan(&username)
	if isNoRows(err) {
		return "", errUserNotFound()
	}
	return username, err
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
