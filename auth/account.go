package auth

import (
	"context"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/store"
)

// ValidatePasswordFor applies the password policy for an applicant's own
// account: ValidatePassword, and not the account's identity number or
// mobile number, which others know or can guess.
func ValidatePasswordFor(pw, idNumber, phone string) error {
	if err := ValidatePassword(pw); err != nil {
		return err
	}
	p := strings.ToUpper(strings.TrimSpace(pw))
	if (idNumber != "" && p == strings.ToUpper(idNumber)) || (phone != "" && p == phone) {
		return apperr.Fields{apperr.Field("password", "guessable", apperr.M("密码不能是身份证号码或手机号码", "the password must not be the ID number or the mobile number"))}.Err()
	}
	return nil
}

// PrepareUser normalises and validates u and hashes password, outside any
// transaction (hashing takes tens of milliseconds); InsertUser stores the
// result. It returns field errors for u and the password together.
func (s *Store) PrepareUser(u User, password string) (User, string, error) {
	u.Normalize()
	var fields apperr.Fields
	if err := u.Validate(); err != nil {
		fields = append(fields, apperr.As(err).Fields...)
	}
	if err := ValidatePasswordFor(password, u.IDNumber, u.Phone); err != nil {
		fields = append(fields, apperr.As(err).Fields...)
	}
	if err := fields.Err(); err != nil {
		return User{}, "", err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return User{}, "", apperr.Wrap(err, "auth: prepare user")
	}
	return u, hash, nil
}

// InsertUser stores a user prepared by PrepareUser in the caller's
// transaction. Errors: Conflict "username_taken", and Conflict
// "id_number_taken" when a person's identity number has an account.
func (s *Store) InsertUser(ctx context.Context, tx *store.Tx, u User, hash string) (User, error) {
	u.ID = 0
	u.CreatedAt = s.now().UTC().Truncate(time.Microsecond)
	if u.Kind == KindPerson && u.IDNumber != "" {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE kind = 'person' AND id_number = ?`, u.IDNumber).Scan(&n); err != nil {
			return User{}, apperr.Wrap(err, "auth: insert user")
		}
		if n > 0 {
			return User{}, errIDNumberTaken()
		}
	}
	err := tx.QueryRowContext(ctx, `
		INSERT INTO users (username, name, role, kind, id_number, credit_code, phone,
			department_code, point_code, password_hash, disabled, created_at, identity_verified)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING id`,
		u.Username, u.Name, string(u.Role), u.Kind, u.IDNumber, u.CreditCode, u.Phone,
		u.DepartmentCode, u.PointCode, hash, u.Disabled, store.FormatTime(u.CreatedAt), !u.IdentityUnverified).Scan(&u.ID)
	if store.IsUniqueViolation(err) {
		return User{}, errUsernameTaken()
	}
	if err != nil {
		return User{}, apperr.Wrap(err, "auth: insert user")
	}
	return u, nil
}

func errIDNumberTaken() error {
	return apperr.New(apperr.Conflict, "id_number_taken", apperr.M("该身份证号码已有账号", "this ID number already has an account"))
}

// PersonByIDNumber returns the person account holding an identity number,
// or NotFound "user_not_found".
func (s *Store) PersonByIDNumber(ctx context.Context, q store.Querier, idNumber string) (User, error) {
	return s.userWhere(ctx, q, `kind = 'person' AND id_number = ?`, strings.ToUpper(strings.TrimSpace(idNumber)))
}

// UsersByPhone returns the accounts holding a mobile number.
func (s *Store) UsersByPhone(ctx context.Context, q store.Querier, phone string) ([]User, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+userColumns+` FROM users WHERE phone = ? ORDER BY id`, phone)
	if err != nil {
		return nil, apperr.Wrap(err, "auth: users by phone")
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, apperr.Wrap(err, "auth: users by phone")
		}
		out = append(out, u)
	}
	return out, apperr.Wrap(rows.Err(), "auth: users by phone")
}

func (s *Store) userWhere(ctx context.Context, q store.Querier, cond string, args ...any) (User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE `+cond, args...))
	if err != nil {
		if isNoRows(err) {
			return User{}, errUserNotFound()
		}
		return User{}, apperr.Wrap(err, "auth: read user")
	}
	return u, nil
}

// SetPasswordTx replaces a user's password hash (from HashPassword) and
// revokes every token of the user, in the caller's transaction; call
// Forget after it commits.
func (s *Store) SetPasswordTx(ctx context.Context, tx *store.Tx, id int64, hash string) error {
	res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, id)
	if err != nil {
		return apperr.Wrap(err, "auth: set password")
	}
	if n, err := res.RowsAffected(); err != nil {
		return apperr.Wrap(err, "auth: set password")
	} else if n == 0 {
		return errUserNotFound()
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM auth_tokens WHERE user_id = ?`, id)
	return apperr.Wrap(err, "auth: set password")
}

// SetPhoneTx replaces a user's mobile number in the caller's transaction.
func (s *Store) SetPhoneTx(ctx context.Context, tx *store.Tx, id int64, phone string) error {
	_, err := tx.ExecContext(ctx, `UPDATE users SET phone = ? WHERE id = ?`, phone, id)
	return apperr.Wrap(err, "auth: set phone")
}

// Forget drops what this process remembers of a user's tokens, after a
// change committed elsewhere (SetPasswordTx, a changed mobile number).
func (s *Store) Forget(id int64) { s.tokens.forgetUser(id) }

// CheckPassword reports whether password is the user's, through the same
// bound on hashing as Login. Errors: Unauthorized "bad_credentials" when not.
func (s *Store) CheckPassword(ctx context.Context, id int64, password string) error {
	var hash string
	if err := s.db.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = ?`, id).Scan(&hash); err != nil {
		if isNoRows(err) {
			return errUserNotFound()
		}
		return apperr.Wrap(err, "auth: check password")
	}
	ok, err := checkPasswordGated(ctx, hash, password)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.Fields{apperr.Field("current_password", "wrong", apperr.M("当前密码不正确", "the current password is wrong"))}.Err()
	}
	return nil
}
